// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import { functionBaseId } from '@app/cloudformation'
import {
  collectIds,
  isRecord,
  type Resource,
  type Resources,
  referencedId,
  type Template,
  type Value,
} from './cfn'
import type { OpsConfig } from './config'

/**
 * The topic every alarm notifies: the stage's own (`alarmTopicArn`), or one created here with its own
 * KMS key, an optional e-mail subscription and an output other stacks can read.
 */
export const alarmTopic = (template: Template, stack: string, options: OpsConfig): Value => {
  const resources = template.Resources
  if (options.alarmTopicArn) return options.alarmTopicArn
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
  if (options.alarmEmail) {
    resources.OpsAlarmEmailSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'OpsAlarmTopic' },
        Protocol: 'email',
        Endpoint: options.alarmEmail,
      },
    }
  }
  template.Outputs = {
    ...template.Outputs,
    OpsAlarmTopicArn: {
      Description: 'Where this stack’s alarms notify',
      Value: { Ref: 'OpsAlarmTopic' },
    },
  }
  return { Ref: 'OpsAlarmTopic' }
}

/**
 * Per function Errors > 0, Throttles > 0, p99 Duration above a share of the timeout; per stream
 * mapping IteratorAge; per dead-letter/failure queue depth > 0; per state machine failed, timed-out
 * and aborted executions; per REST API 5XX. Returns each function's error alarm (canary rollback).
 */
export const addAlarms = (
  resources: Resources,
  functions: [string, Resource][],
  stack: string,
  topic: Value,
  options: OpsConfig,
): Record<string, string> => {
  const ratio = options.durationAlarmRatio
  const iteratorAge = options.iteratorAgeSeconds
  const errorAlarms: Record<string, string> = {}
  const alarm = (id: string, properties: Record<string, unknown>) => {
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
    const name = fn.Properties?.FunctionName
    const base = functionBaseId(id)
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
    const timeoutMs = Number(fn.Properties?.Timeout ?? 6) * 1000
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
  const failureTargets = new Set<string>()
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
      const source = JSON.stringify(resource.Properties?.EventSourceArn ?? '')
      if (!/StreamArn|:dynamodb:|:kinesis:|\/stream\//.test(source)) continue
      const fnId = referencedId(resource.Properties?.FunctionName)
      const fn = fnId ? resources[fnId] : undefined
      if (fn?.Type !== 'AWS::Lambda::Function') continue
      alarm(`${id}IteratorAgeAlarm`, {
        AlarmName: `${fn.Properties?.FunctionName}-iterator-age`,
        AlarmDescription: `${fn.Properties?.FunctionName}: stream records older than ${iteratorAge} s (consumer falling behind)`,
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
        Dimensions: [{ Name: 'ApiName', Value: resource.Properties?.Name ?? stack }],
        MetricName: '5XXError',
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      })
    }
  }
  return errorAlarms
}
