// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import { describe, expect, it } from 'vitest'
import { t } from './fixtures'
import { s3BucketNamesOwned } from './s3-bucket-names-owned'

const bucket = (BucketName?: unknown) => ({
  Type: 'AWS::S3::Bucket',
  Properties: BucketName === undefined ? {} : { BucketName },
})

describe('s3-bucket-names-owned', () => {
  it('accepts names with the account and region (Fn::Sub or Fn::Join of Refs) and generated names', () => {
    const sub = bucket({ 'Fn::Sub': 'blog-site-dev-site-${AWS::AccountId}-${AWS::Region}' })
    const join = bucket({ 'Fn::Join': ['-', ['x', { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }]] })
    expect(s3BucketNamesOwned.check(t({ A: sub, B: join, C: bucket() }))).toEqual([])
  })

  it('flags names anyone could register first (blog-site’s before: service and stage only)', () => {
    const regionOnly = bucket({ 'Fn::Sub': 'x-${AWS::Region}' })
    expect(s3BucketNamesOwned.check(t({ Site: bucket('blog-site-dev-site'), R: regionOnly }))).toEqual([
      { resource: 'Site', message: 'BucketName "blog-site-dev-site" lacks AWS::AccountId and AWS::Region' },
      { resource: 'R', message: 'BucketName {"Fn::Sub":"x-${AWS::Region}"} lacks AWS::AccountId' },
    ])
  })
})
