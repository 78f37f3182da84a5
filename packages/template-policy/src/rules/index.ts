/**
 * Our own template policy: the rules every packaged service template must satisfy. Each rule takes a
 * template and returns its violations as `<LogicalId>: <what is wrong>` (empty means compliant), so
 * a test prints exactly what to fix.
 */
import { type CfnResource, type CfnTemplate, resourcesOfType } from '../template'

export type Rule = (template: CfnTemplate) => string[]

type Json = unknown
const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]
const props = (resource: CfnResource) => resource.Properties ?? {}
const truthy = (value: Json) => value === true || value === 'true'

/** Logical id a value points at through `Ref` or `Fn::GetAtt`, if it is such a reference. */
export const referencedId = (value: Json): string | undefined => {
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const getAtt = value['Fn::GetAtt']
  if (typeof getAtt === 'string') return getAtt.split('.')[0]
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0]
  return undefined
}

/** Every logical id referenced anywhere inside a value (Ref, GetAtt, `${Id}` / `${Id.Attr}` in Fn::Sub). */
export const referencedIds = (value: Json, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) {
    for (const item of value) referencedIds(item, found)
  } else if (isRecord(value)) {
    const direct = referencedId(value)
    if (direct) found.add(direct)
    const sub = value['Fn::Sub']
    const text =
      typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined
    for (const match of text?.matchAll(/\${([A-Za-z0-9]+)(\.[A-Za-z]+)?}/g) ?? [])
      found.add(match[1] as string)
    for (const item of Object.values(value)) referencedIds(item, found)
  }
  return found
}

// ---------------------------------------------------------------------------------------------- IAM

interface Statement {
  Effect?: string
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: Json
  NotResource?: Json
  Condition?: Json
}

/**
 * Actions AWS only authorises on `Resource: "*"` (no resource-level permissions in the Service
 * Authorization Reference), each with the reason a reviewer needs.
 */
export const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'X-Ray trace upload has no resource types: AWS requires "*"',
  'xray:PutTelemetryRecords': 'X-Ray telemetry upload has no resource types: AWS requires "*"',
  'xray:GetSamplingRules': 'X-Ray sampling rules are read account-wide: AWS requires "*"',
  'xray:GetSamplingTargets': 'X-Ray sampling targets are read account-wide: AWS requires "*"',
  'ec2:CreateNetworkInterface':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:DescribeNetworkInterfaces': 'Describe* calls have no resource-level permissions',
  'ec2:DeleteNetworkInterface':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:AssignPrivateIpAddresses':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:UnassignPrivateIpAddresses':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'logs:CreateLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:GetLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:UpdateLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:DeleteLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:ListLogDeliveries': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:PutResourcePolicy': 'CloudWatch Logs resource policies are account-level: AWS requires "*"',
  'logs:DescribeResourcePolicies': 'CloudWatch Logs resource policies are account-level: AWS requires "*"',
  'logs:DescribeLogGroups': 'Describe* calls have no resource-level permissions',
  'cloudwatch:PutMetricData':
    'CloudWatch metrics have no resource types (scope with the cloudwatch:namespace condition)',
}

/** Every statement of every identity policy in the template, with where it came from. */
export const iamStatements = (template: CfnTemplate): { where: string; statement: Statement }[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const documents: [string, Json][] = []
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asList(props(resource).Policies as Json[] | undefined)) {
        if (isRecord(policy)) documents.push([`${id}/${String(policy.PolicyName)}`, policy.PolicyDocument])
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push([id, props(resource).PolicyDocument])
    }
    return documents.flatMap(([where, document]) =>
      isRecord(document)
        ? asList(document.Statement as Statement[]).map((statement) => ({ where, statement }))
        : [],
    )
  })

export const noWildcardActions: Rule = (template) =>
  iamStatements(template).flatMap(({ where, statement }) => {
    if (statement.Effect !== 'Allow') return []
    if (statement.NotAction) return [`${where}: Allow with NotAction grants everything else`]
    return asList(statement.Action)
      .filter((action) => typeof action !== 'string' || action.includes('*'))
      .map((action) => `${where}: wildcard action ${JSON.stringify(action)}`)
  })

export const starResourceOnlyWhereRequired: Rule = (template) =>
  iamStatements(template).flatMap(({ where, statement }) => {
    if (statement.Effect !== 'Allow') return []
    if (statement.NotResource) return [`${where}: Allow with NotResource`]
    if (!asList(statement.Resource).includes('*')) return []
    return asList(statement.Action)
      .filter((action) => !STAR_RESOURCE_ACTIONS[action])
      .map((action) => `${where}: ${action} on Resource "*" (AWS supports resource-level permissions for it)`)
  })

export const oneRolePerFunction: Rule = (template) => {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function')
  const byRole = new Map<string, string[]>()
  const violations: string[] = []
  for (const [id, fn] of functions) {
    const role = referencedId(props(fn).Role)
    if (!role || template.Resources[role]?.Type !== 'AWS::IAM::Role') {
      violations.push(`${id}: role is not an IAM role of this stack`)
      continue
    }
    byRole.set(role, [...(byRole.get(role) ?? []), id])
  }
  for (const [role, users] of byRole) {
    if (users.length > 1) violations.push(`${role}: shared by ${users.join(', ')}`)
  }
  return violations
}

// ------------------------------------------------------------------------------------------ storage

const policiesByBucket = (template: CfnTemplate) => {
  const index = new Map<string, Json[]>()
  for (const [, policy] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
    const key = JSON.stringify(props(policy).Bucket)
    const document = props(policy).PolicyDocument
    index.set(key, [
      ...(index.get(key) ?? []),
      ...(isRecord(document) ? asList(document.Statement as Json[]) : []),
    ])
  }
  return index
}

const deniesInsecureTransport = (statement: Json) => {
  if (!isRecord(statement) || statement.Effect !== 'Deny') return false
  const condition = statement.Condition
  const bool = isRecord(condition) ? condition.Bool : undefined
  return isRecord(bool) && String(bool['aws:SecureTransport']) === 'false'
}

export const bucketsPrivateEncryptedTlsOnly: Rule = (template) => {
  const policies = policiesByBucket(template)
  return resourcesOfType(template, 'AWS::S3::Bucket').flatMap(([id, bucket]) => {
    const p = props(bucket)
    const violations: string[] = []
    const block = p.PublicAccessBlockConfiguration
    const flags = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets']
    const missing = flags.filter((flag) => !isRecord(block) || !truthy(block[flag]))
    if (missing.length) violations.push(`${id}: Block Public Access missing ${missing.join(', ')}`)
    const encryption = p.BucketEncryption
    if (!isRecord(encryption) || !asList(encryption.ServerSideEncryptionConfiguration as Json[]).length) {
      violations.push(`${id}: no default encryption`)
    }
    const statements = [
      ...(policies.get(JSON.stringify({ Ref: id })) ?? []),
      ...(p.BucketName === undefined ? [] : (policies.get(JSON.stringify(p.BucketName)) ?? [])),
    ]
    if (!statements.some(deniesInsecureTransport))
      violations.push(`${id}: no bucket policy denying aws:SecureTransport=false`)
    return violations
  })
}

export const tablesRecoverableEncrypted: Rule = (template) => [
  ...resourcesOfType(template, 'AWS::DynamoDB::Table').flatMap(([id, table]) => {
    const p = props(table)
    const pitr = p.PointInTimeRecoverySpecification
    const sse = p.SSESpecification
    return [
      ...(isRecord(pitr) && truthy(pitr.PointInTimeRecoveryEnabled)
        ? []
        : [`${id}: point-in-time recovery off`]),
      ...(isRecord(sse) && truthy(sse.SSEEnabled) ? [] : [`${id}: SSESpecification.SSEEnabled not true`]),
    ]
  }),
  ...resourcesOfType(template, 'AWS::DynamoDB::GlobalTable').flatMap(([id, table]) => {
    const p = props(table)
    const sse = p.SSESpecification
    const replicas = asList(p.Replicas as Json[])
    return [
      ...(isRecord(sse) && truthy(sse.SSEEnabled) ? [] : [`${id}: SSESpecification.SSEEnabled not true`]),
      ...replicas
        .filter((replica) => {
          const pitr = isRecord(replica) ? replica.PointInTimeRecoverySpecification : undefined
          return !(isRecord(pitr) && truthy(pitr.PointInTimeRecoveryEnabled))
        })
        .map(
          (replica) =>
            `${id}: replica ${JSON.stringify(isRecord(replica) ? replica.Region : replica)} without PITR`,
        ),
    ]
  }),
]

// ----------------------------------------------------------------------------------- async plumbing

/** Logical ids used as a failure target: SQS redrive, Lambda DLQ, on-failure destinations. */
const failureTargets = (template: CfnTemplate): Set<string> => {
  const targets = new Set<string>()
  for (const resource of Object.values(template.Resources)) {
    const p = props(resource)
    const redrive = p.RedrivePolicy
    if (isRecord(redrive)) referencedIds(redrive.deadLetterTargetArn, targets)
    referencedIds(p.DeadLetterConfig, targets)
    const destination = p.DestinationConfig
    if (isRecord(destination)) referencedIds(destination.OnFailure, targets)
  }
  return targets
}

export const queuesEncryptedWithDlq: Rule = (template) => {
  const dlqs = failureTargets(template)
  return resourcesOfType(template, 'AWS::SQS::Queue').flatMap(([id, queue]) => {
    const p = props(queue)
    const violations: string[] = []
    if (!truthy(p.SqsManagedSseEnabled) && p.KmsMasterKeyId === undefined)
      violations.push(`${id}: not encrypted`)
    const redrive = p.RedrivePolicy
    if (!dlqs.has(id) && !(isRecord(redrive) && redrive.deadLetterTargetArn !== undefined)) {
      violations.push(`${id}: no dead-letter queue (RedrivePolicy)`)
    }
    return violations
  })
}

const isStreamSource = (arn: Json, template: CfnTemplate) => {
  const text = JSON.stringify(arn)
  if (/StreamArn|:dynamodb:|:kinesis:|\/stream\//.test(text)) return true
  const id = referencedId(arn)
  return id !== undefined && template.Resources[id]?.Type === 'AWS::Kinesis::Stream'
}

/** Resolves a FunctionName value to the function's logical id (through an alias if need be). */
const functionOf = (template: CfnTemplate, value: Json): { fn?: string; qualifier?: string } => {
  const id = referencedId(value)
  if (!id) return {}
  const resource = template.Resources[id]
  if (resource?.Type === 'AWS::Lambda::Function') return { fn: id, qualifier: '$LATEST' }
  if (resource?.Type === 'AWS::Lambda::Alias') {
    const fn = referencedId(props(resource).FunctionName)
    return { ...(fn ? { fn } : {}), qualifier: String(props(resource).Name) }
  }
  return {}
}

const ASYNC_PRINCIPALS = new Set([
  's3.amazonaws.com',
  'sns.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'logs.amazonaws.com',
  'iot.amazonaws.com',
  'ses.amazonaws.com',
])

/**
 * Stream consumers: on-failure destination, bounded retries, partial batch responses. Async targets
 * (S3, SNS, EventBridge, schedules): an on-failure destination or DLQ for the qualifier they invoke.
 */
export const consumersHaveFailureDestinations: Rule = (template) => {
  const violations: string[] = []
  for (const [id, mapping] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
    const p = props(mapping)
    const types = asList(p.FunctionResponseTypes as Json[])
    if (!types.includes('ReportBatchItemFailures')) violations.push(`${id}: no ReportBatchItemFailures`)
    if (!isStreamSource(p.EventSourceArn, template)) continue
    const destination = p.DestinationConfig
    if (!isRecord(destination) || !isRecord(destination.OnFailure))
      violations.push(`${id}: stream without on-failure destination`)
    if (p.MaximumRetryAttempts === undefined || Number(p.MaximumRetryAttempts) < 0) {
      violations.push(`${id}: unbounded retries (MaximumRetryAttempts)`)
    }
  }

  const handled = new Set<string>()
  for (const [, config] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const p = props(config)
    const destination = p.DestinationConfig
    if (!isRecord(destination) || !isRecord(destination.OnFailure)) continue
    const { fn } = functionOf(template, p.FunctionName)
    if (fn) handled.add(`${fn}@${String(p.Qualifier)}`)
  }
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    if (isRecord(props(fn).DeadLetterConfig)) handled.add(`${id}@*`)
  }
  const invoked = new Map<string, string>()
  for (const [id, permission] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
    if (!ASYNC_PRINCIPALS.has(String(props(permission).Principal))) continue
    const { fn, qualifier } = functionOf(template, props(permission).FunctionName)
    if (fn) invoked.set(`${fn}@${qualifier}`, id)
  }
  for (const [, subscription] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    if (props(subscription).Protocol !== 'lambda') continue
    const { fn, qualifier } = functionOf(template, props(subscription).Endpoint)
    if (fn) invoked.set(`${fn}@${qualifier}`, 'SNS subscription')
  }
  for (const [key, via] of invoked) {
    const [fn] = key.split('@')
    if (!handled.has(key) && !handled.has(`${fn}@*`)) {
      violations.push(
        `${fn}: invoked asynchronously (${via}) as ${key.split('@')[1]} without on-failure destination or DLQ`,
      )
    }
  }
  return violations
}

// -------------------------------------------------------------------------------- logs and tracing

export const logGroupsHaveRetention: Rule = (template) => {
  const groups = resourcesOfType(template, 'AWS::Logs::LogGroup')
  const violations = groups
    .filter(([, group]) => props(group).RetentionInDays === undefined)
    .map(([id]) => `${id}: no RetentionInDays`)
  const groupIds = new Set(groups.map(([id]) => id))
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const logging = props(fn).LoggingConfig
    const explicit = isRecord(logging) ? referencedId(logging.LogGroup) : undefined
    const conventional = id.replace(/LambdaFunction$/, 'LogGroup')
    if (!(explicit && groupIds.has(explicit)) && !groupIds.has(conventional)) {
      violations.push(
        `${id}: its log group is not declared in the stack (Lambda would create one that never expires)`,
      )
    }
  }
  return violations
}

export const tracingOn: Rule = (template) => [
  ...resourcesOfType(template, 'AWS::Lambda::Function')
    .filter(([, fn]) => {
      const tracing = props(fn).TracingConfig
      return !(isRecord(tracing) && tracing.Mode === 'Active')
    })
    .map(([id]) => `${id}: X-Ray tracing not Active`),
  // Lambda refuses Active tracing (at deploy time) when the execution role cannot send segments.
  ...resourcesOfType(template, 'AWS::Lambda::Function')
    .filter(([, fn]) => {
      const tracing = props(fn).TracingConfig
      const role = template.Resources[referencedId(props(fn).Role) ?? '']
      return (
        isRecord(tracing) &&
        tracing.Mode === 'Active' &&
        role !== undefined &&
        !JSON.stringify(role.Properties ?? {}).includes('xray:PutTraceSegments')
      )
    })
    .map(([id]) => `${id}: Active tracing but its role may not call xray:PutTraceSegments`),
  ...resourcesOfType(template, 'AWS::StepFunctions::StateMachine')
    .filter(([, machine]) => {
      const tracing = props(machine).TracingConfiguration
      return !(isRecord(tracing) && truthy(tracing.Enabled))
    })
    .map(([id]) => `${id}: X-Ray tracing not enabled`),
  ...restApiStages(template)
    .filter((stage) => !stage.tracing)
    .map((stage) => `${stage.id}: API Gateway stage without X-Ray tracing`),
]

interface RestStage {
  id: string
  tracing: boolean
  throttled: boolean
}

/** REST API stages, whether declared as AWS::ApiGateway::Stage or inside a Deployment's StageDescription. */
const restApiStages = (template: CfnTemplate): RestStage[] => {
  const throttledSettings = (settings: Json) =>
    asList(settings as Json[]).some(
      (setting) =>
        isRecord(setting) &&
        setting.ThrottlingRateLimit !== undefined &&
        setting.ThrottlingBurstLimit !== undefined &&
        (setting.ResourcePath === '/*' || setting.ResourcePath === undefined) &&
        (setting.HttpMethod === '*' || setting.HttpMethod === undefined),
    )
  const stages: RestStage[] = resourcesOfType(template, 'AWS::ApiGateway::Stage').map(([id, stage]) => ({
    id,
    tracing: truthy(props(stage).TracingEnabled),
    throttled: throttledSettings(props(stage).MethodSettings),
  }))
  for (const [id, deployment] of resourcesOfType(template, 'AWS::ApiGateway::Deployment')) {
    const description = props(deployment).StageDescription
    if (!isRecord(description)) continue
    stages.push({
      id,
      tracing: truthy(description.TracingEnabled),
      throttled:
        (description.ThrottlingRateLimit !== undefined && description.ThrottlingBurstLimit !== undefined) ||
        throttledSettings(description.MethodSettings),
    })
  }
  return stages
}

export const apiStagesThrottled: Rule = (template) => {
  const violations: string[] = []
  const restApis = resourcesOfType(template, 'AWS::ApiGateway::RestApi')
  const stages = restApiStages(template)
  if (restApis.length && !stages.some((stage) => stage.throttled)) {
    violations.push(
      `${restApis.map(([id]) => id).join(', ')}: no stage-level throttling (MethodSettings /*/*)`,
    )
  }
  for (const [id, stage] of resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')) {
    const route = props(stage).DefaultRouteSettings
    if (
      !(
        isRecord(route) &&
        route.ThrottlingRateLimit !== undefined &&
        route.ThrottlingBurstLimit !== undefined
      )
    ) {
      violations.push(`${id}: HTTP API stage without DefaultRouteSettings throttling`)
    }
  }
  return violations
}

// ------------------------------------------------------------------------------------------- CDN

const TLS_12_OR_LATER = /^TLSv1\.2_20(19|21)$|^TLSv1\.3/

const distributions = (template: CfnTemplate) =>
  resourcesOfType(template, 'AWS::CloudFront::Distribution').map(([id, distribution]) => {
    const config = props(distribution).DistributionConfig
    return [id, isRecord(config) ? config : undefined] as const
  })

export const cloudFrontOacHttps: Rule = (template) => [
  ...resourcesOfType(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity').map(
    ([id]) => `${id}: origin access identity (legacy); use Origin Access Control`,
  ),
  ...distributions(template).flatMap(([id, config]) => {
    if (!config) return [`${id}: no DistributionConfig`]
    const violations: string[] = []
    for (const origin of asList(config.Origins as Json[])) {
      if (!isRecord(origin)) continue
      const s3 = origin.S3OriginConfig
      if (isRecord(s3) || /\.s3[.-]/.test(JSON.stringify(origin.DomainName))) {
        if (origin.OriginAccessControlId === undefined)
          violations.push(`${id}: S3 origin ${origin.Id} without OAC`)
        if (isRecord(s3) && s3.OriginAccessIdentity)
          violations.push(`${id}: S3 origin ${origin.Id} uses an OAI`)
      }
      const custom = origin.CustomOriginConfig
      if (isRecord(custom)) {
        if (custom.OriginProtocolPolicy !== 'https-only')
          violations.push(`${id}: origin ${origin.Id} not https-only`)
        const protocols = asList(custom.OriginSSLProtocols as Json[])
        if (!protocols.length || protocols.some((protocol) => protocol !== 'TLSv1.2')) {
          violations.push(`${id}: origin ${origin.Id} allows TLS below 1.2`)
        }
      }
    }
    const behaviors = [config.DefaultCacheBehavior, ...asList(config.CacheBehaviors as Json[])]
    for (const behavior of behaviors) {
      if (!isRecord(behavior)) continue
      if (!['redirect-to-https', 'https-only'].includes(String(behavior.ViewerProtocolPolicy))) {
        violations.push(`${id}: behavior ${behavior.PathPattern ?? 'default'} allows plain HTTP`)
      }
    }
    return violations
  }),
]

/** Viewer TLS 1.2+ needs a custom certificate: the default *.cloudfront.net one is fixed at TLSv1. */
export const cloudFrontViewerTls12: Rule = (template) =>
  distributions(template).flatMap(([id, config]) => {
    const certificate = config?.ViewerCertificate
    // A stage-dependent certificate (`Fn::If` on a condition such as "has a domain"): every branch counts.
    const condition = isRecord(certificate) ? certificate['Fn::If'] : undefined
    const branches = Array.isArray(condition) ? condition.slice(1) : [certificate]
    return branches.flatMap((branch) => {
      const minimum = isRecord(branch) ? branch.MinimumProtocolVersion : undefined
      if (TLS_12_OR_LATER.test(String(minimum))) return []
      const when = Array.isArray(condition)
        ? ` when ${String(condition[0])} is ${branches.indexOf(branch) === 0}`
        : ''
      return [`${id}: viewer TLS minimum ${String(minimum)}${when} (needs a certificate with TLSv1.2_2021+)`]
    })
  })

// ------------------------------------------------------------------------------------- production

/** Resource types through which something invokes a function: in production they go through `live`. */
const INVOKERS = new Set([
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SNS::Subscription',
  'AWS::S3::Bucket',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  // Lambda tasks name their function in the definition's Fn::Sub map.
  'AWS::StepFunctions::StateMachine',
])

/** Production: a published version and a `live` alias per function, and every invoker on the alias. */
export const liveAliasWiring: Rule = (template) => {
  const violations: string[] = []
  const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id)
  const aliased = new Set<string>()
  for (const [id, alias] of resourcesOfType(template, 'AWS::Lambda::Alias')) {
    const p = props(alias)
    const fn = referencedId(p.FunctionName)
    const version = referencedId(p.FunctionVersion)
    if (p.Name === 'live' && fn) aliased.add(fn)
    if (!version || template.Resources[version]?.Type !== 'AWS::Lambda::Version') {
      violations.push(`${id}: alias not on a published version`)
    }
  }
  for (const fn of functions) if (!aliased.has(fn)) violations.push(`${fn}: no live alias`)
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!INVOKERS.has(resource.Type)) continue
    const text = JSON.stringify(resource.Properties ?? {})
    for (const fn of functions) {
      if (text.includes(`{"Fn::GetAtt":["${fn}","Arn"]}`) || text.includes(`{"Ref":"${fn}"}`)) {
        violations.push(`${id}: invokes ${fn} directly instead of its live alias`)
      }
    }
  }
  return violations
}

/** Rules that apply to production templates only. */
export const PROD_RULES: Readonly<Record<string, Rule>> = {
  'prod-live-alias': liveAliasWiring,
}

/** Every rule, by the id suppressions and test names use. */
export const RULES: Readonly<Record<string, Rule>> = {
  'iam-one-role-per-function': oneRolePerFunction,
  'iam-no-wildcard-actions': noWildcardActions,
  'iam-star-resource-only-where-required': starResourceOnlyWhereRequired,
  's3-private-encrypted-tls-only': bucketsPrivateEncryptedTlsOnly,
  'dynamodb-pitr-sse': tablesRecoverableEncrypted,
  'sqs-encrypted-with-dlq': queuesEncryptedWithDlq,
  'lambda-consumers-on-failure': consumersHaveFailureDestinations,
  'logs-retention': logGroupsHaveRetention,
  'apigateway-stage-throttling': apiStagesThrottled,
  'tracing-on': tracingOn,
  'cloudfront-oac-https': cloudFrontOacHttps,
  'cloudfront-viewer-tls12': cloudFrontViewerTls12,
}

/** The logical id a violation names (its text up to the first colon). */
export const violationResource = (violation: string) => violation.split(/[:/]/)[0] ?? violation
