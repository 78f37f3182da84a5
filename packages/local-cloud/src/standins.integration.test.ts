/**
 * The stand-ins of the run's local cloud (root globalSetup, free ports), each spoken to over its
 * real protocol with the AWS SDK, the way functions talk to them (`functionEnv` endpoints and
 * credentials).
 */

import { randomUUID } from 'node:crypto'
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { localCloud } from './testing'

const cloud = localCloud()
const env = cloud.functionEnv
const config = {
  region: cloud.region,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
}
const unique = randomUUID().slice(0, 8)

describe('the local cloud of this test run', () => {
  it('DynamoDB Local stores items and streams their changes', async () => {
    const dynamodb = new DynamoDBClient({ ...config, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB })
    const TableName = `standins-${unique}`
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    )
    await dynamodb.send(new PutItemCommand({ TableName, Item: { id: { S: 'a' }, n: { N: '1' } } }))
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: { id: { S: 'a' } } }))
    expect(Item).toEqual({ id: { S: 'a' }, n: { N: '1' } })

    const streams = new DynamoDBStreamsClient({ ...config, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS })
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: TableDescription?.LatestStreamArn }),
    )
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: TableDescription?.LatestStreamArn,
        ShardId: StreamDescription?.Shards?.[0]?.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    )
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }))
    expect(Records?.map((record) => [record.eventName, record.dynamodb?.NewImage?.id?.S])).toEqual([
      ['INSERT', 'a'],
    ])
  })

  it('s3rver stores and returns objects (path-style, as functions use it)', async () => {
    const s3 = new S3Client({ ...config, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true })
    const Bucket = `standins-${unique}`
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(
      new PutObjectCommand({ Bucket, Key: 'private/ü ber.txt', Body: 'hello', ContentType: 'text/plain' }),
    )
    const object = await s3.send(new GetObjectCommand({ Bucket, Key: 'private/ü ber.txt' }))
    expect(object.ContentType).toBe('text/plain')
    expect(await object.Body?.transformToString()).toBe('hello')
  })

  it('aws-ses-v2-local accepts SendEmail and shows the message in its inbox store', async () => {
    const ses = new SESv2Client({ ...config, endpoint: env.AWS_ENDPOINT_URL_SESV2 })
    const to = `reader-${unique}@example.com`
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'blog@example.com',
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: `Hello ${unique}` }, Body: { Text: { Data: 'Welcome' } } } },
      }),
    )
    const inbox = await fetch(new URL('store', cloud.endpoints.sesInbox))
    const { emails } = (await inbox.json()) as {
      emails: { subject: string; destination: { to: string[] } }[]
    }
    expect(emails.filter((email) => email.destination.to.includes(to)).map((email) => email.subject)).toEqual(
      [`Hello ${unique}`],
    )
    expect((await fetch(cloud.endpoints.sesInbox)).headers.get('content-type')).toMatch(/text\/html/)
  })

  it('cognito-local signs users in with RS256 tokens that verify against its JWKS', async () => {
    const cognito = new CognitoIdentityProviderClient({
      ...config,
      endpoint: env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
    })
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: `standins-${unique}`, UsernameAttributes: ['email'] }),
    )
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'test',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
    const username = `user-${unique}@example.com`
    await cognito.send(
      new SignUpCommand({
        ClientId: UserPoolClient?.ClientId,
        Username: username,
        Password: 'Passw0rd-long-enough',
      }),
    )
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: UserPool?.Id, Username: username }))
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: UserPoolClient?.ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: 'Passw0rd-long-enough' },
      }),
    )
    const issuer = `${cloud.endpoints.cognito.endpoint}/${UserPool?.Id}`
    const { payload } = await jwtVerify(
      AuthenticationResult?.AccessToken ?? '',
      createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
      { issuer, algorithms: ['RS256'] },
    )
    expect(payload).toMatchObject({ token_use: 'access', client_id: UserPoolClient?.ClientId })
  })
})
