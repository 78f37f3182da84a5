import { describe, expect, it } from 'vitest'
import { dynamodbGlobalTablePitrSse } from './dynamodb-global-table-pitr-sse'
import { t } from './fixtures'

const global = (properties: Record<string, unknown>) =>
  t({ G: { Type: 'AWS::DynamoDB::GlobalTable', Properties: properties } })
const pitr = { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }

describe('dynamodb-global-table-pitr-sse', () => {
  it('accepts SSE and PITR on every replica', () => {
    const ok = global({
      SSESpecification: { SSEEnabled: true },
      Replicas: [{ Region: 'us-east-1', ...pitr }],
    })
    expect(dynamodbGlobalTablePitrSse.check(ok)).toEqual([])
  })

  it('flags SSE off and each replica without PITR', () => {
    const bad = global({ Replicas: [{ Region: 'us-east-1', ...pitr }, { Region: 'eu-west-1' }] })
    expect(dynamodbGlobalTablePitrSse.check(bad)).toEqual([
      { resource: 'G', message: 'SSESpecification.SSEEnabled not true' },
      { resource: 'G', message: 'replica "eu-west-1" without PITR' },
    ])
  })
})
