import { lambdaContext, loadWithEnv, streamEvent, streamRecord } from '@app/runtime/testing'
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { ENV } from '../../testing/functions'

const db = mockClient(DynamoDBDocumentClient)
const api = mockClient(ApiGatewayManagementApiClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

const job = { jobId: 'job-1', owner: 'alice', workflow: 'text', createdAt: '2026-12-02T10:00:00.000Z' }

describe('onJobChange handler', () => {
  it("posts a failed job's end to the owner's connections, with its public failure code only", async () => {
    db.on(QueryCommand).resolves({ Items: [{ sk: 'connection#c1' }] })
    api.on(PostToConnectionCommand).resolves({})
    const record = streamRecord(
      { ...job, status: 'FAILED', error: { name: 'AccessDenied', message: 'arn:aws:iam::123:role/secret' } },
      { key: ['jobId'], overrides: { eventName: 'MODIFY' } },
    )
    record.dynamodb!.OldImage = marshall({ ...job, status: 'RUNNING' }) as never
    expect(await handler(streamEvent([record]), lambdaContext('onJobChange'))).toEqual({
      batchItemFailures: [],
    })
    expect(db.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.CONNECTIONS_TABLE,
      ExpressionAttributeValues: { ':pk': 'user#alice' },
    })
    const data = String(api.commandCalls(PostToConnectionCommand)[0]?.args[0].input.Data)
    expect(JSON.parse(data)).toMatchObject({
      type: 'job.failed',
      id: record.eventID,
      job: { id: 'job-1', status: 'FAILED', error: { code: 'internal' } },
    })
    expect(data).not.toContain('arn:aws:iam')
  })
})
