import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { ENV, routeUnderTest } from '../../testing/functions'

const { aws, call } = await routeUnderTest('getExecution', () => import('./handler'))
const id = '0b6f3c3e-8d1a-4c5e-9f0a-1234567890ab'
const get = (sub: string) =>
  call(sub, { method: 'GET', path: `/workflows/executions/${id}`, pathParameters: { id } })

describe('GET /workflows/executions/{id}', () => {
  it('reads the job from the configured table for its owner, 404 for anyone else', async () => {
    aws.db.on(GetCommand, { TableName: ENV.JOBS_TABLE, Key: { jobId: id } }).resolves({
      Item: { jobId: id, owner: 'u1', workflow: 'text', status: 'SUCCEEDED', result: { totalWords: 1 } },
    })
    const mine = await get('u1')
    expect(mine.statusCode).toBe(200)
    expect(JSON.parse(mine.body)).toMatchObject({ id, status: 'SUCCEEDED', result: { totalWords: 1 } })
    expect((await get('u2')).statusCode).toBe(404)
  })
})
