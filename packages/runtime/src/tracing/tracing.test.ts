import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { traced, tracer } from './index'

describe('traced', () => {
  it('leaves clients untouched outside Lambda, so local runs and tests pay nothing', () => {
    const client = new DynamoDBClient({ region: 'us-east-1' })
    const stackBefore = client.middlewareStack.identify().length
    expect(tracer.isTracingEnabled()).toBe(false)
    expect(traced(client)).toBe(client)
    expect(client.middlewareStack.identify().length).toBe(stackBefore)
  })
})
