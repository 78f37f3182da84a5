import type { CfnResource } from '@app/cloudformation'
import { describe, expect, it } from 'vitest'
import printed from '../__fixtures__/todo-api/printed.json' with { type: 'json' }
import {
  deriveResources,
  tableShapeDifferences,
  tableShapeFromDescription,
  tableShapeFromTemplate,
} from './resources'

const resources = printed.resources.Resources as unknown as Record<string, CfnResource>
const context = { region: 'us-east-1', accountId: '000000000000', stackName: 'fixture-todo-local' }
const derived = deriveResources(resources, context)

describe('deriveResources (the fixture: sls print of __fixtures__/todo-api/serverless.yml)', () => {
  it('creates a table per AWS::DynamoDB::Table and ::GlobalTable, with keys, indexes, stream and billing', () => {
    const todos = derived.tables.find((table) => table.logicalId === 'TodosTable')
    expect(todos?.createInput).toEqual({
      TableName: 'fixture-todo-local-todos',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'status', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byCreatedAt',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    })
    expect(todos?.shape.ttlAttribute).toBe('expiresAt')
    expect(todos?.ignored).toEqual(['SSESpecification', 'PointInTimeRecoverySpecification'])

    const idempotency = derived.tables.find((table) => table.logicalId === 'IdempotencyTable')
    expect(idempotency?.type).toBe('AWS::DynamoDB::GlobalTable')
    expect(idempotency?.shape).toMatchObject({ streamViewType: 'NEW_IMAGE', ttlAttribute: 'expiration' })
    expect(idempotency?.ignored).toEqual(['Replicas'])
  })

  it('names buckets and user pools as the template does, and ties clients and groups to their pool', () => {
    expect(derived.buckets.map((bucket) => bucket.bucketName)).toEqual(['fixture-todo-local-files'])
    expect(derived.userPools).toEqual([
      expect.objectContaining({
        logicalId: 'UserPool',
        poolName: 'fixture-todo-local-users',
        settings: expect.objectContaining({ UsernameAttributes: ['email'], Policies: expect.any(Object) }),
        ignored: ['LambdaConfig'],
      }),
    ])
    expect(derived.userPoolClients).toEqual([
      expect.objectContaining({
        logicalId: 'UserPoolClient',
        userPoolLogicalId: 'UserPool',
        clientName: 'mobile',
        settings: expect.objectContaining({ GenerateSecret: false, ExplicitAuthFlows: expect.any(Array) }),
      }),
    ])
    expect(derived.userPoolGroups).toEqual([
      { logicalId: 'AuthorsGroup', userPoolLogicalId: 'UserPool', groupName: 'authors', precedence: 1 },
    ])
  })

  it('lists resources without a local stand-in as skipped instead of faking them', () => {
    expect(derived.skipped).toEqual([
      { logicalId: 'Distribution', type: 'AWS::CloudFront::Distribution', reason: 'no local stand-in' },
    ])
  })

  it('gives unnamed resources the stack-derived names CloudFormation would (without the random suffix)', () => {
    const unnamed = deriveResources(
      {
        Things: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { ...resources.TodosTable?.Properties, TableName: undefined },
        },
        Uploads: { Type: 'AWS::S3::Bucket' },
        Named: {
          Type: 'AWS::S3::Bucket',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation/compose syntax, not a JS template
          Properties: { BucketName: { 'Fn::Sub': '${AWS::StackName}-named' } },
        },
      },
      context,
    )
    expect(unnamed.tables[0]?.tableName).toBe('fixture-todo-local-Things')
    expect(unnamed.buckets.map((bucket) => bucket.bucketName)).toEqual([
      'fixture-todo-local-uploads',
      'fixture-todo-local-named',
    ])
  })

  it('creates nothing whose Condition is false, as CloudFormation, and picks Fn::If branches by Conditions', () => {
    const table = resources.TodosTable!
    const conditioned = deriveResources(
      {
        ProdTable: { ...table, Condition: 'IsProd', Properties: { ...table.Properties, TableName: 'prod' } },
        LocalTable: {
          ...table,
          Condition: 'IsLocal',
          Properties: { ...table.Properties, TableName: 'local' },
        },
        ProdBucket: { Type: 'AWS::S3::Bucket', Condition: 'IsProd' },
        ProdPool: { Type: 'AWS::Cognito::UserPool', Condition: 'IsProd' },
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: { 'Fn::If': ['IsProd', 'prod-bucket', 'local-bucket'] } },
        },
      },
      {
        ...context,
        conditions: {
          IsProd: { 'Fn::Equals': ['local', 'prod'] },
          IsLocal: { 'Fn::Not': [{ Condition: 'IsProd' }] },
        },
      },
    )
    expect(conditioned.tables.map((spec) => spec.tableName)).toEqual(['local'])
    expect(conditioned.buckets.map((bucket) => bucket.bucketName)).toEqual(['local-bucket'])
    expect(conditioned.userPools).toEqual([])
    expect(conditioned.skipped).toEqual([
      { logicalId: 'ProdTable', type: 'AWS::DynamoDB::Table', reason: 'its Condition IsProd is false' },
      { logicalId: 'ProdBucket', type: 'AWS::S3::Bucket', reason: 'its Condition IsProd is false' },
      { logicalId: 'ProdPool', type: 'AWS::Cognito::UserPool', reason: 'its Condition IsProd is false' },
    ])
  })

  it('uses provisioned throughput when the template does (the CloudFormation default)', () => {
    const provisioned = deriveResources(
      {
        T: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          },
        },
      },
      context,
    )
    expect(provisioned.tables[0]?.createInput).toMatchObject({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    })
  })
})

describe('table shapes', () => {
  const template = tableShapeFromTemplate(resources.TodosTable?.Properties ?? {})

  it('match when DynamoDB describes what the template declares (order of keys and attributes aside)', () => {
    const described = tableShapeFromDescription(
      {
        KeySchema: [
          { AttributeName: 'sk', KeyType: 'RANGE' },
          { AttributeName: 'pk', KeyType: 'HASH' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'N' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'pk', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'status', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byCreatedAt',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'createdAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      },
      'expiresAt',
    )
    expect(tableShapeDifferences(template, described)).toEqual([])
  })

  it('name every difference (keys, index projection, stream, TTL)', () => {
    const drifted = {
      ...template,
      keySchema: [{ name: 'pk', type: 'HASH' }],
      globalIndexes: template.globalIndexes.map((index) => ({
        ...index,
        projectionType: 'ALL',
        nonKeyAttributes: [],
      })),
      streamViewType: null,
      ttlAttribute: null,
    }
    expect(tableShapeDifferences(template, drifted).map((line) => line.split(':')[0])).toEqual([
      'keySchema',
      'globalIndexes',
      'streamViewType',
      'ttlAttribute',
    ])
  })
})
