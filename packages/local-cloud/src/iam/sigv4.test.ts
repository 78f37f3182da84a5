/**
 * The verifier against AWS's published examples: the SigV4 test suite's `get-vanilla` and
 * `post-x-www-form-urlencoded` vectors, and the S3 documentation's header-signed GET and presigned
 * URL examples (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
 * sigv4-query-string-auth.html). Then what a tampered request gets.
 */
import { describe, expect, it } from 'vitest'
import { claimOf, type SignatureClaim, type SignedRequest, verifySignature } from './sigv4'

const suiteCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
}
const s3Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}
const request = (overrides: Partial<SignedRequest>): SignedRequest => ({
  method: 'GET',
  path: '/',
  query: '',
  headers: {},
  body: new Uint8Array(),
  ...overrides,
})
const claimed = (signed: SignedRequest): SignatureClaim => {
  const claim = claimOf(signed)
  if (!claim || claim === 'malformed') throw new Error(`no claim in ${JSON.stringify(signed.headers)}`)
  return claim
}

const getVanilla = request({
  headers: {
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
  },
})
const at = (date: string) => new Date(date)

describe('SigV4 verification', () => {
  it('accepts the test suite get-vanilla request', async () => {
    expect(
      await verifySignature(getVanilla, claimed(getVanilla), suiteCredentials, at('2015-08-30T12:36:00Z')),
    ).toEqual({ ok: true })
  })

  it('accepts the test suite post-x-www-form-urlencoded request (body hashed)', async () => {
    const post = request({
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
      },
      body: new TextEncoder().encode('Param1=value1'),
    })
    expect(await verifySignature(post, claimed(post), suiteCredentials, at('2015-08-30T12:36:00Z'))).toEqual({
      ok: true,
    })
    const tampered = { ...post, body: new TextEncoder().encode('Param1=value2') }
    expect(
      (await verifySignature(tampered, claimed(tampered), suiteCredentials, at('2015-08-30T12:36:00Z'))).ok,
    ).toBe(false)
  })

  it("accepts the S3 docs' header-signed GET Object (path not escaped twice, payload hash header)", async () => {
    const get = request({
      path: '/test.txt',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    })
    expect(await verifySignature(get, claimed(get), s3Credentials, at('2013-05-24T00:00:00Z'))).toEqual({
      ok: true,
    })
  })

  describe("the S3 docs' presigned URL", () => {
    const presigned = request({
      path: '/test.txt',
      query:
        'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
      headers: { host: 'examplebucket.s3.amazonaws.com' },
    })

    it('is valid within its lifetime', async () => {
      expect(
        await verifySignature(presigned, claimed(presigned), s3Credentials, at('2013-05-24T12:00:00Z')),
      ).toEqual({
        ok: true,
      })
    })

    it('has expired after 86400 s', async () => {
      const verdict = await verifySignature(
        presigned,
        claimed(presigned),
        s3Credentials,
        at('2013-05-25T00:00:01Z'),
      )
      expect(verdict).toMatchObject({ ok: false, code: 'RequestExpired' })
    })

    it('does not sign another key, method or secret', async () => {
      const now = at('2013-05-24T12:00:00Z')
      for (const [changed, credentials] of [
        [{ ...presigned, path: '/other.txt' }, s3Credentials],
        [{ ...presigned, method: 'PUT' }, s3Credentials],
        [presigned, { ...s3Credentials, secretAccessKey: 'another-secret' }],
      ] as const) {
        expect(await verifySignature(changed, claimed(changed), credentials, now)).toMatchObject({
          ok: false,
          code: 'SignatureDoesNotMatch',
        })
      }
    })
  })

  it('refuses a header-signed request more than 15 minutes off the clock', async () => {
    const verdict = await verifySignature(
      getVanilla,
      claimed(getVanilla),
      suiteCredentials,
      at('2015-08-30T12:52:00Z'),
    )
    expect(verdict).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' })
  })

  it('reads no claim from an unsigned request and refuses a malformed one', () => {
    expect(claimOf(request({ headers: { host: 'x' } }))).toBeUndefined()
    expect(claimOf(request({ headers: { host: 'x', authorization: 'AWS4-HMAC-SHA256 nonsense' } }))).toBe(
      'malformed',
    )
  })
})
