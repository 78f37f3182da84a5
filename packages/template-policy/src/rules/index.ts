/**
 * Our own template policy, as data: every rule is a `Rule` (id, why it is not left to a Control Tower
 * guard rule, check returning `{resource, message}` violations), one file and one test per rule.
 * Rules that only repeated a guard rule already run (S3 Block Public Access and encryption, table
 * PITR/SSE, queue encryption and DLQs, state machine tracing, CloudFront OAC and HTTPS) were removed:
 * cfn-guard reports those, with its suppressions in suppressions.yml.
 */
import { apigatewayCacheKeys } from './apigateway-cache-keys'
import { apigatewayStageThrottling } from './apigateway-stage-throttling'
import { cloudfrontOriginTls12 } from './cloudfront-origin-tls12'
import { cloudfrontViewerTls12 } from './cloudfront-viewer-tls12'
import { cloudwatchAlarmTopicUsable } from './cloudwatch-alarm-topic-usable'
import { dynamodbGlobalTablePitrSse } from './dynamodb-global-table-pitr-sse'
import { iamNoWildcardActions } from './iam-no-wildcard-actions'
import { iamOneRolePerFunction } from './iam-one-role-per-function'
import { iamStarResourceOnlyWhereRequired } from './iam-star-resource-only-where-required'
import type { Rule } from './kit'
import { lambdaConsumersOnFailure } from './lambda-consumers-on-failure'
import { logsRetention } from './logs-retention'
import { prodLiveAlias } from './prod-live-alias'
import { s3BucketNamesOwned } from './s3-bucket-names-owned'
import { s3TlsOnly } from './s3-tls-only'
import { tracingOn } from './tracing-on'

export type { Rule, Violation } from './kit'

/** Every rule, in report order. */
export const RULES: readonly Rule[] = [
  iamOneRolePerFunction,
  iamNoWildcardActions,
  iamStarResourceOnlyWhereRequired,
  s3TlsOnly,
  s3BucketNamesOwned,
  dynamodbGlobalTablePitrSse,
  lambdaConsumersOnFailure,
  logsRetention,
  apigatewayStageThrottling,
  apigatewayCacheKeys,
  tracingOn,
  cloudfrontOriginTls12,
  cloudfrontViewerTls12,
  prodLiveAlias,
  cloudwatchAlarmTopicUsable,
]

/** The rules that apply to a stage's templates. */
export const rulesFor = (stage: string): Rule[] =>
  RULES.filter((rule) => !rule.stages || rule.stages.includes(stage))

/** One rule by id (throws on an unknown id, so a typo in a caller fails loudly). */
export const rule = (id: string): Rule => {
  const found = RULES.find((candidate) => candidate.id === id)
  if (!found) throw new Error(`no template-policy rule ${id}`)
  return found
}
