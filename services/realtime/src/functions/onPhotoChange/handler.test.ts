import { lambdaContext, loadWithEnv, streamEvent, streamRecord } from '@app/runtime/testing'
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { ENV } from '../../testing/functions'

const db = mockClient(DynamoDBDocumentClient)
const api = mockClient(ApiGatewayManagementApiClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

describe('onPhotoChange handler', () => {
  it("posts a photo's result to the subscribers of its post, from the configured table", async () => {
    db.on(QueryCommand).resolves({ Items: [{ sk: 'connection#c9', userId: 'reader-1' }] })
    api.on(PostToConnectionCommand).resolves({})
    const record = streamRecord(
      {
        photoKey: 'photos/hello/p1.jpg',
        postSlug: 'hello',
        uploadedAt: '2026-12-02T10:00:00.000Z',
        status: 'ready',
        processedAt: '2026-12-02T10:00:05.000Z',
        thumbnails: [{ width: 128, height: 96, key: 'hello/p1-128.webp', contentType: 'image/webp' }],
      },
      { key: ['photoKey'] },
    )
    expect(await handler(streamEvent([record]), lambdaContext('onPhotoChange'))).toEqual({
      batchItemFailures: [],
    })
    expect(db.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.CONNECTIONS_TABLE,
      ExpressionAttributeValues: { ':pk': 'topic#post:hello' },
    })
    const post = api.commandCalls(PostToConnectionCommand)[0]?.args[0].input
    expect(post?.ConnectionId).toBe('c9')
    expect(JSON.parse(String(post?.Data))).toMatchObject({
      type: 'photo.ready',
      id: record.eventID,
      post: 'hello',
    })
  })
})
