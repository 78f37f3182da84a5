import { describe, expect, it } from 'vitest'
import { t } from './fixtures'
import { s3TlsOnly } from './s3-tls-only'

const bucket = { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'site-dev' } }
const tlsOnly = (target: unknown) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: {
    Bucket: target,
    PolicyDocument: {
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    },
  },
})

describe('s3-tls-only', () => {
  it('accepts a Deny on aws:SecureTransport=false, found by Ref or by bucket name', () => {
    expect(s3TlsOnly.check(t({ B: bucket, P: tlsOnly({ Ref: 'B' }) }))).toEqual([])
    expect(s3TlsOnly.check(t({ B: bucket, P: tlsOnly('site-dev') }))).toEqual([])
  })

  it('flags a bucket without one', () => {
    expect(s3TlsOnly.check(t({ B: bucket, P: tlsOnly({ Ref: 'Other' }) }))).toEqual([
      { resource: 'B', message: 'no bucket policy denying aws:SecureTransport=false' },
    ])
  })
})
