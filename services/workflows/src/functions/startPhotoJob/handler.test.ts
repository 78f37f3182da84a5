import { lambdaContext } from '@app/runtime/testing'
import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { describe, expect, it } from 'vitest'
import { apiCall, ENV, loadHandler, mockedAws } from '../../testing/functions'

const aws = mockedAws()
const { handler } = await loadHandler(() => import('./handler'))

describe('POST /workflows/photo', () => {
  it('starts the photo machine on the blog photo in the configured uploads bucket', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.PHOTO_STATE_MACHINE_ARN}:x` })
    const event = apiCall('u1', { method: 'POST', path: '/workflows/photo', json: { key: 'photos/a.jpg' } })
    const response = await handler(event, lambdaContext('startPhotoJob'))
    expect(response.statusCode).toBe(202)
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input.stateMachineArn).toBe(ENV.PHOTO_STATE_MACHINE_ARN)
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({
      owner: 'u1',
      source: { bucket: ENV.UPLOADS_BUCKET, key: 'photos/a.jpg' },
    })
  })

  it('answers 400 for a key outside photos/', async () => {
    const event = apiCall('u1', { method: 'POST', path: '/workflows/photo', json: { key: 'private/a.jpg' } })
    expect((await handler(event, lambdaContext('startPhotoJob'))).statusCode).toBe(400)
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([])
  })
})
