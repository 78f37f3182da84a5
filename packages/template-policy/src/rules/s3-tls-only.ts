import { resourcesOfType } from '@app/cloudformation'
import { asList, isRecord, type Json, props, type Rule, violation } from './kit'

const deniesInsecureTransport = (statement: Json) => {
  if (!isRecord(statement) || statement.Effect !== 'Deny') return false
  const condition = statement.Condition
  const bool = isRecord(condition) ? condition.Bool : undefined
  return isRecord(bool) && String(bool['aws:SecureTransport']) === 'false'
}

export const s3TlsOnly: Rule = {
  id: 's3-tls-only',
  beyondGuard:
    'CT.S3.PR.8 (s3_bucket_policy_ssl_requests_only_check) cannot resolve the Fn::Join the framework ' +
    'names its deployment bucket with (suppressed there); this rule matches policies to buckets by Ref ' +
    'or name, so every bucket stays checked.',
  check: (template) => {
    const statementsByBucket = new Map<string, Json[]>()
    for (const [, policy] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
      const key = JSON.stringify(props(policy).Bucket)
      const document = props(policy).PolicyDocument
      statementsByBucket.set(key, [
        ...(statementsByBucket.get(key) ?? []),
        ...(isRecord(document) ? asList(document.Statement as Json[]) : []),
      ])
    }
    return resourcesOfType(template, 'AWS::S3::Bucket').flatMap(([id, bucket]) => {
      const name = props(bucket).BucketName
      const statements = [
        ...(statementsByBucket.get(JSON.stringify({ Ref: id })) ?? []),
        ...(name === undefined ? [] : (statementsByBucket.get(JSON.stringify(name)) ?? [])),
      ]
      return statements.some(deniesInsecureTransport)
        ? []
        : [violation(id, 'no bucket policy denying aws:SecureTransport=false')]
    })
  },
}
