import type { CfnTemplate } from '@app/cloudformation'
import { describe, expect, it } from 'vitest'
import { checkTemplateAgainstSpec } from './index'

const table = (properties: Record<string, unknown>): CfnTemplate => ({
  Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: properties } },
})

const valid = {
  TableName: { 'Fn::Sub': 'todos-${AWS::Region}' },
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  SSESpecification: { SSEEnabled: 'true' },
}

describe('checkTemplateAgainstSpec', () => {
  it('accepts a valid resource, intrinsics and CloudFormation’s scalar conversions', () => {
    expect(checkTemplateAgainstSpec(table(valid))).toEqual([])
  })

  it('names a misspelt property and lists the known ones', () => {
    const [problem] = checkTemplateAgainstSpec(
      table({ ...valid, PointInTimeRecoverySpecifcation: { PointInTimeRecoveryEnabled: true } }),
    )
    expect(problem).toMatch(
      /^\/Resources\/Table\/Properties\/PointInTimeRecoverySpecifcation: unknown property/,
    )
    expect(problem).toContain('PointInTimeRecoverySpecification')
  })

  it('checks nested property types and shapes', () => {
    expect(
      checkTemplateAgainstSpec(
        table({ ...valid, BillingMode: ['PAY_PER_REQUEST'], SSESpecification: { SSEEnabled: 'yes' } }),
      ),
    ).toEqual([
      '/Resources/Table/Properties/BillingMode: expected a string, got a list',
      '/Resources/Table/Properties/SSESpecification/SSEEnabled: expected a boolean, got a string',
    ])
  })

  it('flags missing required properties and unknown resource types', () => {
    expect(checkTemplateAgainstSpec(table({ BillingMode: 'PAY_PER_REQUEST' }))).toContain(
      '/Resources/Table/Properties/KeySchema: required property missing',
    )
    expect(checkTemplateAgainstSpec({ Resources: { Q: { Type: 'AWS::SQS::Queu' } } })).toEqual([
      '/Resources/Q: unknown resource type AWS::SQS::Queu',
    ])
  })
})
