'use strict'
/**
 * serverless-ops: the operations layer every service gets from one definition instead of copies.
 * After the framework has compiled a service's CloudFormation (and merged its `resources`), it adds:
 *
 * - Alarms: per function Errors > 0, Throttles > 0, p99 Duration above a share of the timeout; per
 *   stream mapping IteratorAge; per dead-letter/failure queue depth > 0; per state machine failed,
 *   timed-out and aborted executions; per REST API 5XX. All notify one SNS topic (created here, or
 *   the stage's topic passed in as `alarmTopicArn`).
 * - A CloudWatch dashboard per service and stage, generated from the same inventory.
 * - REST API stage settings: stage-level throttling and X-Ray tracing in the template (the framework
 *   applies `tracing.apiGateway` by API calls after deploy, invisible to template checks).
 * - The deployment bucket with Block Public Access.
 * - With `live: true` (production): a `live` alias on every function's published version, with API
 *   methods, authorizers, permissions, event source mappings, SNS/S3/EventBridge targets and async
 *   on-failure configs pointed at the alias; provisioned concurrency on the functions listed; and,
 *   with `deployment: <CodeDeploy Lambda config>`, gradual traffic shifting through CloudFormation's
 *   native `CodeDeployLambdaAliasUpdate` update policy, rolled back automatically on the error alarm.
 *   Without `live` (dev), functions are not versioned at all (`versionFunctions: false`).
 *
 * Configuration (all optional), under `custom.ops`, normally fed from the service's `params`:
 *   alarms (true), alarmTopicArn, alarmEmail, durationAlarmRatio (0.8), iteratorAgeSeconds (60),
 *   apiThrottle: { rateLimit, burstLimit }, live (false), deployment (e.g. Canary10Percent5Minutes),
 *   provisionedConcurrency: { <functionName>: <count> }, dashboard (true),
 *   redriveSchedule (e.g. `cron(15 3 * * ? *)`: daily redrive of every DLQ into its source queue).
 */

const ALIAS = 'live'

const truthy = (value) => value === true || value === 'true'
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Replaces every `Fn::GetAtt [<fnId>, Arn]` (and `Ref <fnId>`) inside a value with `Ref <aliasId>`. */
const pointAtAlias = (value, fnId, aliasId) => {
  if (Array.isArray(value)) return value.map((item) => pointAtAlias(item, fnId, aliasId))
  if (!isRecord(value)) return value
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt) && getAtt[0] === fnId && getAtt[1] === 'Arn') return { Ref: aliasId }
  if (getAtt === `${fnId}.Arn`) return { Ref: aliasId }
  if (value.Ref === fnId && Object.keys(value).length === 1) return { Ref: aliasId }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, pointAtAlias(item, fnId, aliasId)]),
  )
}

/** The resource types through which something invokes a function: these follow the alias. */
const INVOKERS = new Set([
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::S3::Bucket',
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'AWS::Logs::SubscriptionFilter',
  // Lambda tasks name their function in the definition's Fn::Sub map (serverless-step-functions):
  // the machine role's `<function arn>:*` already allows invoking the alias.
  'AWS::StepFunctions::StateMachine',
])

const referencedId = (value) => {
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt)) return getAtt[0]
  if (typeof getAtt === 'string') return getAtt.split('.')[0]
  return undefined
}

const collectIds = (value, found = new Set()) => {
  if (Array.isArray(value)) for (const item of value) collectIds(item, found)
  else if (isRecord(value)) {
    const id = referencedId(value)
    if (id) found.add(id)
    for (const item of Object.values(value)) collectIds(item, found)
  }
  return found
}

const logicalName = (text) => text.replace(/[^A-Za-z0-9]/g, '')

class ServerlessOps {
  constructor(serverless) {
    this.serverless = serverless
    this.provider = serverless.getProvider('aws')
    serverless.configSchemaHandler?.defineCustomProperties?.({
      type: 'object',
      properties: { ops: { type: 'object' } },
    })
    this.hooks = {
      initialize: () => this.configure(),
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.compile(),
    }
  }

  get options() {
    return this.serverless.service.custom?.ops ?? {}
  }

  /** Dev stages publish no versions: nothing points at them, they only accumulate. */
  configure() {
    if (!truthy(this.options.live)) this.serverless.service.provider.versionFunctions = false
  }

  compile() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate
    const resources = template.Resources
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    const stack = this.provider.naming.getStackName()

    this.hardenDeploymentBucket(resources)
    this.applyRestStageSettings(resources)
    // Alarms can be switched off for throwaway stages; a live alias with canary needs its error alarms.
    const alarmsWanted = this.options.alarms !== false && this.options.alarms !== 'false'
    let errorAlarms = {}
    if (alarmsWanted || truthy(this.options.live)) {
      errorAlarms = this.addAlarms(resources, functions, stack, this.alarmTopic(resources, stack))
    }
    if (truthy(this.options.live)) this.addLiveAliases(resources, functions, stack, errorAlarms)
    if (this.options.redriveSchedule)
      this.addDlqRedrives(resources, stack, String(this.options.redriveSchedule))
    if (this.options.dashboard !== false && this.options.dashboard !== 'false') {
      this.addDashboard(resources, functions, stack)
    }
  }

  hardenDeploymentBucket(resources) {
    const bucket = resources.ServerlessDeploymentBucket
    if (!bucket) return
    bucket.Properties = {
      ...bucket.Properties,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    }
  }

  /** Adds tracing and (when configured and not already set) stage-level throttling to REST stages. */
  applyRestStageSettings(resources) {
    const throttle = this.options.apiThrottle
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Deployment') continue
      const stage = { ...(resource.Properties.StageDescription ?? {}) }
      stage.TracingEnabled = true
      stage.MetricsEnabled = stage.MetricsEnabled ?? true
      if (throttle && stage.ThrottlingRateLimit === undefined) {
        stage.ThrottlingRateLimit = Number(throttle.rateLimit)
        stage.ThrottlingBurstLimit = Number(throttle.burstLimit)
      }
      const settings = stage.MethodSettings ?? []
      if (throttle && !settings.some((s) => s.ResourcePath === '/*' && s.HttpMethod === '*')) {
        settings.push({
          ResourcePath: '/*',
          HttpMethod: '*',
          ThrottlingRateLimit: Number(throttle.rateLimit),
          ThrottlingBurstLimit: Number(throttle.burstLimit),
          MetricsEnabled: true,
        })
      }
      if (settings.length) stage.MethodSettings = settings
      resource.Properties.StageDescription = stage
    }
  }

  alarmTopic(resources, stack) {
    if (this.options.alarmTopicArn) return this.options.alarmTopicArn
    // CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key (alias/aws/sns:
    // its key policy does not let cloudwatch.amazonaws.com use it), so the topic has its own key.
    resources.OpsAlarmKey = {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: `Encrypts ${stack}'s alarm topic`,
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountAdministers',
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' } },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'AlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    }
    resources.OpsAlarmTopic = {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${stack}-ops-alarms`,
        KmsMasterKeyId: { Ref: 'OpsAlarmKey' },
      },
    }
    if (this.options.alarmEmail) {
      resources.OpsAlarmEmailSubscription = {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'OpsAlarmTopic' },
          Protocol: 'email',
          Endpoint: this.options.alarmEmail,
        },
      }
    }
    const template = this.serverless.service.provider.compiledCloudFormationTemplate
    template.Outputs = template.Outputs ?? {}
    template.Outputs.OpsAlarmTopicArn = {
      Description: 'Where this stack’s alarms notify',
      Value: { Ref: 'OpsAlarmTopic' },
    }
    return { Ref: 'OpsAlarmTopic' }
  }

  addAlarms(resources, functions, stack, topic) {
    const ratio = Number(this.options.durationAlarmRatio ?? 0.8)
    const iteratorAge = Number(this.options.iteratorAgeSeconds ?? 60)
    const errorAlarms = {}
    const alarm = (id, properties) => {
      resources[id] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmActions: [topic],
          OKActions: [topic],
          TreatMissingData: 'notBreaching',
          EvaluationPeriods: 1,
          Period: 300,
          ...properties,
        },
      }
    }
    for (const [id, fn] of functions) {
      const name = fn.Properties.FunctionName
      const base = id.replace(/LambdaFunction$/, '')
      const dimensions = [{ Name: 'FunctionName', Value: { Ref: id } }]
      const lambda = { Namespace: 'AWS/Lambda', Dimensions: dimensions }
      alarm(`${base}ErrorsAlarm`, {
        ...lambda,
        AlarmName: `${name}-errors`,
        AlarmDescription: `${name}: invocations ended in an error`,
        MetricName: 'Errors',
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      })
      errorAlarms[id] = `${base}ErrorsAlarm`
      alarm(`${base}ThrottlesAlarm`, {
        ...lambda,
        AlarmName: `${name}-throttles`,
        AlarmDescription: `${name}: invocations throttled (reserved concurrency or account limit reached)`,
        MetricName: 'Throttles',
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      })
      const timeoutMs = Number(fn.Properties.Timeout ?? 6) * 1000
      alarm(`${base}DurationAlarm`, {
        ...lambda,
        AlarmName: `${name}-p99-duration`,
        AlarmDescription: `${name}: p99 duration above ${Math.round(ratio * 100)}% of its ${timeoutMs / 1000} s timeout`,
        MetricName: 'Duration',
        ExtendedStatistic: 'p99',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: Math.round(timeoutMs * ratio),
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      })
    }
    const failureTargets = new Set()
    for (const resource of Object.values(resources)) {
      const p = resource.Properties ?? {}
      if (isRecord(p.RedrivePolicy)) collectIds(p.RedrivePolicy.deadLetterTargetArn, failureTargets)
      if (isRecord(p.DestinationConfig)) collectIds(p.DestinationConfig.OnFailure, failureTargets)
      if (isRecord(p.DeadLetterConfig)) collectIds(p.DeadLetterConfig, failureTargets)
    }
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type === 'AWS::SQS::Queue' && failureTargets.has(id)) {
        alarm(`${id}DepthAlarm`, {
          AlarmName: { 'Fn::Sub': `\${${id}.QueueName}-not-empty` },
          AlarmDescription: `${id}: failed messages are waiting for a person (dead-letter/on-failure queue)`,
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          Period: 60,
        })
      }
      if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
        const source = JSON.stringify(resource.Properties.EventSourceArn ?? '')
        if (!/StreamArn|:dynamodb:|:kinesis:|\/stream\//.test(source)) continue
        const fnId = referencedId(resource.Properties.FunctionName)
        const fn = fnId ? resources[fnId] : undefined
        if (fn?.Type !== 'AWS::Lambda::Function') continue
        alarm(`${id}IteratorAgeAlarm`, {
          AlarmName: `${fn.Properties.FunctionName}-iterator-age`,
          AlarmDescription: `${fn.Properties.FunctionName}: stream records older than ${iteratorAge} s (consumer falling behind)`,
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
          MetricName: 'IteratorAge',
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: iteratorAge * 1000,
          Period: 60,
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
        })
      }
      if (resource.Type === 'AWS::StepFunctions::StateMachine') {
        for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
          alarm(`${id}${metric}Alarm`, {
            AlarmName: { 'Fn::Sub': `\${${id}.Name}-${metric}` },
            AlarmDescription: `${id}: ${metric}`,
            Namespace: 'AWS/States',
            Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
            MetricName: metric,
            Statistic: 'Sum',
            ComparisonOperator: 'GreaterThanThreshold',
            Threshold: 0,
          })
        }
      }
      if (resource.Type === 'AWS::ApiGateway::RestApi') {
        alarm(`${id}5XXAlarm`, {
          AlarmName: `${stack}-api-5xx`,
          AlarmDescription: `${stack}: the REST API answered 5xx`,
          Namespace: 'AWS/ApiGateway',
          Dimensions: [{ Name: 'ApiName', Value: resource.Properties.Name ?? stack }],
          MetricName: '5XXError',
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
        })
      }
    }
    return errorAlarms
  }

  addLiveAliases(resources, functions, stack, errorAlarms) {
    const provisioned = this.options.provisionedConcurrency ?? {}
    const deployment = this.options.deployment
    const gradual = typeof deployment === 'string' && deployment !== '' && deployment !== 'AllAtOnce'
    const byLogicalId = Object.fromEntries(
      this.serverless.service
        .getAllFunctions()
        .map((name) => [this.provider.naming.getLambdaLogicalId(name), name]),
    )
    if (gradual) {
      resources.OpsCodeDeployApplication = {
        Type: 'AWS::CodeDeploy::Application',
        Properties: { ComputePlatform: 'Lambda', ApplicationName: stack },
      }
      resources.OpsCodeDeployRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'codedeploy.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          // AWS's managed policy for CodeDeploy on Lambda: shift alias weights, read alarms, no hooks.
          ManagedPolicyArns: [
            {
              'Fn::Sub':
                'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited',
            },
          ],
        },
      }
    }
    for (const [fnId] of functions) {
      const versionId = Object.keys(resources).find(
        (id) =>
          resources[id].Type === 'AWS::Lambda::Version' &&
          referencedId(resources[id].Properties.FunctionName) === fnId,
      )
      if (!versionId) continue
      const base = fnId.replace(/LambdaFunction$/, '')
      const aliasId = `${base}LiveAlias`
      const count = Number(provisioned[byLogicalId[fnId]] ?? 0)
      const alias = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: fnId },
          FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
          Name: ALIAS,
          ...(count > 0 ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: count } } : {}),
        },
      }
      if (gradual) {
        const groupId = `${base}DeploymentGroup`
        resources[groupId] = {
          Type: 'AWS::CodeDeploy::DeploymentGroup',
          Properties: {
            ApplicationName: { Ref: 'OpsCodeDeployApplication' },
            DeploymentGroupName: logicalName(`${stack}-${base}`).slice(0, 100),
            ServiceRoleArn: { 'Fn::GetAtt': ['OpsCodeDeployRole', 'Arn'] },
            DeploymentConfigName: `CodeDeployDefault.Lambda${deployment}`,
            DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
            AlarmConfiguration: {
              Enabled: true,
              Alarms: [{ Name: resources[errorAlarms[fnId]].Properties.AlarmName }],
            },
            AutoRollbackConfiguration: {
              Enabled: true,
              Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
            },
          },
        }
        alias.UpdatePolicy = {
          CodeDeployLambdaAliasUpdate: {
            ApplicationName: { Ref: 'OpsCodeDeployApplication' },
            DeploymentGroupName: { Ref: groupId },
          },
        }
      }
      resources[aliasId] = alias
      for (const [id, resource] of Object.entries(resources)) {
        if (INVOKERS.has(resource.Type))
          resources[id] = { ...resource, Properties: pointAtAlias(resource.Properties, fnId, aliasId) }
        // Async failure handling is configured per qualifier: it must follow the invocations to the alias.
        if (
          resource.Type === 'AWS::Lambda::EventInvokeConfig' &&
          referencedId(resource.Properties.FunctionName) === fnId
        ) {
          resource.Properties.Qualifier = ALIAS
          resource.DependsOn = [...new Set([...(resource.DependsOn ?? []), aliasId])]
        }
      }
    }
  }

  /**
   * A scheduled redrive of every dead-letter queue into its source queue, with no code: EventBridge
   * Scheduler calls SQS StartMessageMoveTask directly (universal target). For services whose DLQ only
   * receives failures that a later retry can fix (throttling, a dependency's outage), this retries
   * them once a day instead of waiting for a person; messages that fail again return to the DLQ and
   * its depth alarm, and expire with the DLQ's retention.
   */
  addDlqRedrives(resources, stack, expression) {
    for (const [sourceId, queue] of Object.entries(resources)) {
      if (queue.Type !== 'AWS::SQS::Queue' || !isRecord(queue.Properties?.RedrivePolicy)) continue
      const dlqId = referencedId(queue.Properties.RedrivePolicy.deadLetterTargetArn)
      if (!dlqId || resources[dlqId]?.Type !== 'AWS::SQS::Queue') continue
      const dlqArn = { 'Fn::GetAtt': [dlqId, 'Arn'] }
      const sourceArn = { 'Fn::GetAtt': [sourceId, 'Arn'] }
      resources[`${dlqId}RedriveRole`] = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'scheduler.amazonaws.com' },
                Action: 'sts:AssumeRole',
                Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: 'redrive',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  // What StartMessageMoveTask needs on the DLQ (it reads and deletes as it moves)...
                  {
                    Effect: 'Allow',
                    Action: [
                      'sqs:StartMessageMoveTask',
                      'sqs:ReceiveMessage',
                      'sqs:DeleteMessage',
                      'sqs:GetQueueAttributes',
                    ],
                    Resource: dlqArn,
                  },
                  // ...and on the queue the messages go back to.
                  { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: sourceArn },
                ],
              },
            },
          ],
        },
      }
      resources[`${dlqId}RedriveSchedule`] = {
        Type: 'AWS::Scheduler::Schedule',
        Properties: {
          Name: { 'Fn::Sub': `${stack}-\${${dlqId}.QueueName}-redrive` },
          Description: `Moves ${dlqId} back into ${sourceId} (${expression}, UTC)`,
          ScheduleExpression: expression,
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          State: 'ENABLED',
          Target: {
            Arn: 'arn:aws:scheduler:::aws-sdk:sqs:startMessageMoveTask',
            RoleArn: { 'Fn::GetAtt': [`${dlqId}RedriveRole`, 'Arn'] },
            Input: {
              'Fn::Sub': [
                '{"SourceArn":"${Dlq}","DestinationArn":"${Source}","MaxNumberOfMessagesPerSecond":10}',
                { Dlq: dlqArn, Source: sourceArn },
              ],
            },
            RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          },
        },
      }
    }
  }

  addDashboard(resources, functions, stack) {
    const widgets = []
    const region = '${AWS::Region}'
    const add = (title, metrics, extra = {}) => {
      widgets.push({
        type: 'metric',
        width: 12,
        height: 6,
        x: (widgets.length % 2) * 12,
        y: Math.floor(widgets.length / 2) * 6,
        properties: { title, region, metrics, view: 'timeSeries', period: 300, ...extra },
      })
    }
    const names = functions.map(([, fn]) => fn.Properties.FunctionName)
    add(
      'Invocations',
      names.map((n) => ['AWS/Lambda', 'Invocations', 'FunctionName', n, { stat: 'Sum' }]),
    )
    add(
      'Errors and throttles',
      names.flatMap((n) => [
        ['AWS/Lambda', 'Errors', 'FunctionName', n, { stat: 'Sum' }],
        ['AWS/Lambda', 'Throttles', 'FunctionName', n, { stat: 'Sum' }],
      ]),
    )
    add(
      'Duration p99 (ms)',
      names.map((n) => ['AWS/Lambda', 'Duration', 'FunctionName', n, { stat: 'p99' }]),
    )
    add(
      'Concurrent executions',
      names.map((n) => ['AWS/Lambda', 'ConcurrentExecutions', 'FunctionName', n, { stat: 'Maximum' }]),
    )
    const queues = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties?.QueueName,
    )
    if (queues.length) {
      add(
        'Queue depth',
        queues.map(([, q]) => [
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          'QueueName',
          q.Properties.QueueName,
          { stat: 'Maximum' },
        ]),
      )
    }
    const machines = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties?.StateMachineName,
    )
    if (machines.length) {
      add(
        'Executions',
        machines.flatMap(([, m]) => {
          const arn = `arn:aws:states:${region}:\${AWS::AccountId}:stateMachine:${m.Properties.StateMachineName}`
          return ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut'].map((metric) => [
            'AWS/States',
            metric,
            'StateMachineArn',
            arn,
            { stat: 'Sum' },
          ])
        }),
      )
    }
    resources.OpsDashboard = {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: stack, DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) } },
    }
  }
}

module.exports = ServerlessOps
