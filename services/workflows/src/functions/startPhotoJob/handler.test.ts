import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { describe, expect, it } from 'vitest'
import { ENV, routeUnderTest } from '../../testing/functions'

const { aws, call } = await routeUnderTest('startPhotoJob', () => import('./handler'))
/** POST /workflows/photo by u1 with this JSON body. */
const post = (json: unknown) => call('u1', { method: 'POST', path: '/workflows/photo', json })

describe('POST /workflows/photo', () => {
  it('starts the photo machine on the blog photo in the configured uploads bucket', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.PHOTO_STATE_MACHINE_ARN}:x` })
    const response = await post({ key: 'photos/a.jpg' })
    expect(response.statusCode).toBe(202)
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input.stateMachineArn).toBe(ENV.PHOTO_STATE_MACHINE_ARN)
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({
      owner: 'u1',
      source: { bucket: ENV.UPLOADS_BUCKET, key: 'photos/a.jpg' },
    })
  })

  it('answers 400 for a key outside photos/', async () => {
    expect((await post({ key: 'private/a.jpg' })).statusCode).toBe(400)
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([])
  })
})
