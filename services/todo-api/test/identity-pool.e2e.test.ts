/**
 * The mobile app's direct S3 access (the seed architecture's point: Cognito gives the app temporary
 * credentials for its own folder), end to end with the real AWS SDK and its `fromCognitoIdentityPool`
 * credential provider against the local Identity Pool stand-in, every S3 call then signed and
 * evaluated by the local IAM gateway with the identity's role and context. The folder is the one
 * the API uses (`private/<user-pool sub>/`), so a file the app puts is listed by `GET /files` and
 * the reverse.
 */

import { localCloud } from '@app/local-cloud/testing'
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers'
import { beforeAll, describe, expect, it } from 'vitest'
import { answer, typedClient } from './api'
import { signUpAndSignIn, type TestUser } from './users'

const cloud = localCloud()
const as = typedClient(String(cloud.endpoints.todoApi))
const region = cloud.region
const identityPoolId = cloud.endpoints.cognito.identityPoolId!
const bucket = String(cloud.endpoints.todoFilesBucket)
/** The login key is the user pool's provider name: its issuer without the scheme. */
const providerName = `${cloud.endpoints.cognito.endpoint.replace(/^https?:\/\//, '')}/${cloud.endpoints.cognito.userPoolId}`

/** What the app builds: an S3 client whose credentials come from the identity pool. */
const appS3 = (user: TestUser) =>
  new S3Client({
    region,
    endpoint: String(cloud.endpoints.awsGateway),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    credentials: fromCognitoIdentityPool({
      identityPoolId,
      logins: { [providerName]: user.idToken },
      clientConfig: { region, endpoint: String(cloud.endpoints.cognitoIdentity) },
    }),
  })

const denied = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ name: 'AccessDenied' })

describe('the identity pool: the app’s own folder, directly', () => {
  let alice: TestUser
  let bob: TestUser
  beforeAll(async () => {
    ;[alice, bob] = await Promise.all([signUpAndSignIn(cloud, 'idp-a'), signUpAndSignIn(cloud, 'idp-b')])
  })

  it('puts, lists, gets and deletes in its own folder, the one GET /files lists', async () => {
    const s3 = appS3(alice)
    const key = `private/${alice.sub}/from-the-app.txt`
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'hello', ContentType: 'text/plain' }),
    )
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `private/${alice.sub}/` }),
    )
    expect(listed.Contents?.map((object) => object.Key)).toContain(key)
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString(),
    ).toBe('hello')
    const files = await answer(as(alice.accessToken).GET('/files'))
    expect(files.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'from-the-app.txt' })]),
    )
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
    expect((await answer(as(alice.accessToken).GET('/files'))).body.items).toEqual([])
  })

  it('reads what the API uploaded for the same user', async () => {
    const link = await answer(
      as(alice.accessToken).POST('/files/links', {
        body: { operation: 'upload', name: 'from-the-api.txt', contentType: 'text/plain', size: 3 },
      }),
    )
    expect(link.status).toBe(201)
    expect(
      (await fetch(link.body.url, { method: 'PUT', headers: link.body.headers, body: 'api' })).status,
    ).toBe(200)
    const object = await appS3(alice).send(
      new GetObjectCommand({ Bucket: bucket, Key: `private/${alice.sub}/from-the-api.txt` }),
    )
    expect(await object.Body?.transformToString()).toBe('api')
  })

  it("gets AccessDenied on another user's folder, for every call", async () => {
    const s3 = appS3(bob)
    const key = `private/${alice.sub}/from-the-api.txt`
    await denied(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))
    await denied(
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: `private/${alice.sub}/x.txt`, Body: 'x' })),
    )
    await denied(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })))
    await denied(s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `private/${alice.sub}/` })))
    await denied(s3.send(new ListObjectsV2Command({ Bucket: bucket })))
  })

  it('gives no identity for an access token, a forged token or another pool’s login', async () => {
    const identity = new CognitoIdentityClient({ region, endpoint: String(cloud.endpoints.cognitoIdentity) })
    for (const logins of [
      { [providerName]: alice.accessToken },
      { [providerName]: `${alice.idToken.slice(0, -4)}AAAA` },
      { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_other': alice.idToken },
    ])
      await expect(
        identity.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins })),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException' })
  })
})
