/**
 * Per-user usage plans of a REST API (todo-api, workflows), the serverless.yml pieces each such
 * service takes, written once (the resources: usage-plans.yml). With the API's key source AUTHORIZER
 * the TOKEN authorizer names the caller's key; see @app/runtime/usage-keys and
 * services/todo-api/README.md, "Per-user usage plans". The service provides the params
 * (usagePlansEnforced, user*, newcomer*) and `custom.names` usageKeysTable, usageKeyRequestsQueue,
 * newcomerUsageKey. Plain values: osls resolves their variables in the including service.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are Serverless Framework variables, resolved by osls
'use strict'

const plan = (prefix) => ({
  throttle: { rateLimit: `\${param:${prefix}RateLimit}`, burstLimit: `\${param:${prefix}BurstLimit}` },
  quota: { limit: `\${param:${prefix}QuotaLimit}`, period: `\${param:${prefix}QuotaPeriod}` },
})

/** osls names them ApiGatewayUsagePlanPerUser and ApiGatewayUsagePlanNewcomer. */
const usagePlan = [{ perUser: plan('user') }, { newcomer: plan('newcomer') }]

/** The newcomer key, in the newcomer plan (osls adds the UsagePlanKey). */
const apiKeys = [
  {
    newcomer: [
      { name: '${self:custom.names.newcomerUsageKey}', value: '${self:custom.names.newcomerUsageKey}' },
    ],
  },
]

/** Built from names rather than `Ref`: serverless-offline renders Fn::Sub but not Ref. */
const queueUrl = {
  'Fn::Sub':
    'https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/${self:custom.names.usageKeyRequestsQueue}',
}

const authorizerEnvironment = {
  USAGE_PLANS_ENFORCED: '${param:usagePlansEnforced}',
  USAGE_KEYS_TABLE: '${self:custom.names.usageKeysTable}',
  USAGE_KEY_REQUESTS_QUEUE_URL: queueUrl,
  NEWCOMER_USAGE_KEY: '${self:custom.names.newcomerUsageKey}',
}

/** The authorizer reads a user's marker and asks for a newcomer's key; nothing else. */
const authorizerStatements = [
  { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: { 'Fn::GetAtt': ['UsageKeysTable', 'Arn'] } },
  {
    Effect: 'Allow',
    Action: ['sqs:SendMessage'],
    Resource: { 'Fn::GetAtt': ['UsageKeyRequestsQueue', 'Arn'] },
  },
]

const apiGatewayArn = (path) => ({
  'Fn::Sub': [`arn:\${AWS::Partition}:apigateway:\${AWS::Region}::${path}`, {}],
})

const provisioner = {
  handler: 'src/functions/provisionUsageKeys/handler.handler',
  description: "Puts each new user's API key in the per-user usage plan, then marks the user",
  memorySize: 256,
  timeout: 30,
  // CreateApiKey's account-wide rate is 5 per second: at most 2 instances (the SQS mapping's minimum
  // maximumConcurrency), each pacing its creates to 2 per second. Reserved concurrency equals the
  // mapping's maximum: below it the poller's invocations would be throttled, and throttled messages
  // count receives towards the DLQ.
  reservedConcurrency: 2,
  environment: {
    USAGE_KEYS_TABLE: '${self:custom.names.usageKeysTable}',
    USAGE_PLAN_ID: { Ref: 'ApiGatewayUsagePlanPerUser' },
  },
  iamRoleStatements: [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: { 'Fn::GetAtt': ['UsageKeysTable', 'Arn'] },
    },
    // API keys have no ARN before they exist: CreateApiKey (POST) and the lookup by name (GET) are
    // on the collection, /apikeys, never on a key's own path (no read or change of any key).
    { Effect: 'Allow', Action: ['apigateway:POST', 'apigateway:GET'], Resource: apiGatewayArn('/apikeys') },
    // Keys into this stack's per-user plan only.
    {
      Effect: 'Allow',
      Action: ['apigateway:POST'],
      Resource: {
        'Fn::Sub': [
          'arn:${AWS::Partition}:apigateway:${AWS::Region}::/usageplans/${PlanId}/keys',
          { PlanId: { Ref: 'ApiGatewayUsagePlanPerUser' } },
        ],
      },
    },
  ],
  events: [
    {
      sqs: {
        arn: { 'Fn::GetAtt': ['UsageKeyRequestsQueue', 'Arn'] },
        batchSize: 5,
        maximumConcurrency: 2,
        functionResponseType: 'ReportBatchItemFailures',
      },
    },
  ],
}

module.exports = { usagePlan, apiKeys, authorizerEnvironment, authorizerStatements, provisioner }
