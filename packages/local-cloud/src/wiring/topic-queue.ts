/**
 * A consumer of another service's bucket events through S3 → SNS → SQS → Lambda, locally (the
 * thumbnailer and the workflows photo auto-start both hang off blog-site's `PhotoUploadedTopic`).
 * Everything comes from the two resolved templates, nothing is retyped: the consumer function's
 * sqs event → its queue (name, redrive) → the SNS subscription to that queue (topic, raw delivery,
 * condition) → the upstream output that is that topic → the upstream bucket's notification rules
 * publishing to it. Then s3rver's events for that bucket go through the generic router into a
 * `LocalTopic` and the consumer's `LocalQueue`, consumed by the function in its sandbox
 * (`cloud.lambda`).
 */
import { type CfnResource, conditionHolds, UnresolvableError } from '@app/cloudformation'
import type { SQSBatchResponse } from 'aws-lambda'
import type { LocalCloud } from '../service'
import type { PrintedService } from '../template/print'
import {
  LocalQueue,
  LocalTopic,
  type NotificationRule,
  notificationRulesOf,
  routeS3Notifications,
} from './s3-notifications'

interface Fragment {
  Resources?: Record<string, CfnResource>
  Outputs?: Record<string, { Value: unknown }>
  Conditions?: Record<string, unknown>
}

/** One section of `resources` as printed (one object, or a list of `${file()}` fragments), merged. */
const section = <K extends keyof Fragment>(config: PrintedService, key: K): NonNullable<Fragment[K]> =>
  Object.assign({}, ...[config.resources].flat().map((part) => (part as Fragment | undefined)?.[key] ?? {}))

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** A condition of the printed template (its operands resolved by the print), as CloudFormation evaluates it. */
const holds = (config: PrintedService, condition: string, service: string): boolean => {
  try {
    return conditionHolds(condition, {
      region: config.provider.region,
      // The stand-ins' account; our conditions compare stage params, never the account.
      accountId: '000000000000',
      conditions: section(config, 'Conditions'),
    })
  } catch (error) {
    if (!(error instanceof UnresolvableError)) throw error
    throw new Error(`${service}: condition ${condition} cannot be evaluated locally: ${error.message}`, {
      cause: error,
    })
  }
}

export interface TopicQueueConsumer {
  /** The consumer service and its function (serverless.yml key) with the sqs event. */
  readonly service: string
  readonly functionKey: string
  /** The service that owns the bucket and the topic. */
  readonly upstream: string
  /** The consumer's environment variable (function's, else provider's) naming the upstream bucket. */
  readonly bucketVariable: string
}

export interface TopicQueueWiring {
  readonly bucket: string
  readonly topicArn: string
  readonly rules: readonly NotificationRule[]
  readonly queueName: string
  readonly maxReceiveCount: number
  readonly batchSize: number
  readonly reportBatchItemFailures: boolean
  readonly rawMessageDelivery: boolean
}

/** The wiring the two templates describe; undefined when the subscription's condition is false. */
export const topicQueueWiring = (
  cloud: Pick<LocalCloud, 'config' | 'outputs' | 'stage'>,
  consumer: TopicQueueConsumer,
): TopicQueueWiring | undefined => {
  const { service, functionKey, upstream } = consumer
  const config = cloud.config(service)
  const upstreamConfig = cloud.config(upstream)
  if (!config || !upstreamConfig)
    throw new Error(`${service}: no resolved serverless.yml for ${service} or ${upstream}`)
  const own = section(config, 'Resources')
  const fn = config.functions?.[functionKey]
  const sqs = (fn?.events ?? [])
    .map((event) => (event as { sqs?: Record<string, unknown> }).sqs)
    .find(Boolean)
  const queueId = Object.keys(own).find((id) => same(sqs?.arn, { 'Fn::GetAtt': [id, 'Arn'] }))
  const queue = queueId ? own[queueId] : undefined
  const redrive = queue?.Properties?.RedrivePolicy as { maxReceiveCount?: number | string } | undefined
  const subscription = Object.values(own).find(
    (resource) =>
      resource.Type === 'AWS::SNS::Subscription' &&
      same(resource.Properties?.Endpoint, { 'Fn::GetAtt': [queueId, 'Arn'] }),
  )
  if (!sqs || !queue || !redrive?.maxReceiveCount || !subscription)
    throw new Error(
      `${service}: ${functionKey} needs an sqs event on a queue with a RedrivePolicy and an SNS subscription`,
    )
  if (subscription.Condition && !holds(config, subscription.Condition, service)) return undefined
  // Our subscription names a topic that is one of the upstream's outputs; the bucket's rules
  // publishing to the resource behind that output are the ones that reach us.
  const topicArn = String(subscription.Properties?.TopicArn)
  const outputName = Object.keys(cloud.outputs[upstream] ?? {}).find(
    (output) => cloud.outputs[upstream]?.[output] === topicArn,
  )
  const topicValue = outputName ? section(upstreamConfig, 'Outputs')[outputName]?.Value : undefined
  const bucket = String(
    fn?.environment?.[consumer.bucketVariable] ??
      config.provider.environment?.[consumer.bucketVariable] ??
      '',
  )
  const rules = notificationRulesOf(section(upstreamConfig, 'Resources'), bucket).filter(
    (rule) => rule.kind === 'topic' && (same(rule.destination, topicValue) || rule.destination === topicArn),
  )
  if (rules.length === 0)
    throw new Error(`${service}: ${upstream}'s bucket ${bucket} publishes nothing to ${topicArn}`)
  return {
    bucket,
    topicArn,
    rules,
    queueName: String(queue.Properties?.QueueName ?? `${service}-${cloud.stage}-${queueId}`),
    maxReceiveCount: Number(redrive.maxReceiveCount),
    batchSize: Number(sqs.batchSize ?? 10),
    reportBatchItemFailures: [sqs.functionResponseType].flat().includes('ReportBatchItemFailures'),
    rawMessageDelivery: [true, 'true'].includes(subscription.Properties?.RawMessageDelivery as string),
  }
}

/**
 * Wires the consumer as its templates say and returns its stop; a no-op (logged) when the
 * subscription's condition is off for this stage.
 */
export const wireTopicQueue = (cloud: LocalCloud, consumer: TopicQueueConsumer): (() => Promise<void>) => {
  const wiring = topicQueueWiring(cloud, consumer)
  if (!wiring) {
    cloud.log(
      `${consumer.service}: the subscription of ${consumer.functionKey}'s queue is off for this stage`,
    )
    return async () => {}
  }
  const fn = cloud.lambda(consumer.service, consumer.functionKey)
  const topic = new LocalTopic(wiring.topicArn)
  const queue = new LocalQueue({
    name: wiring.queueName,
    region: cloud.region,
    maxReceiveCount: wiring.maxReceiveCount,
    batchSize: wiring.batchSize,
    reportBatchItemFailures: wiring.reportBatchItemFailures,
    retryDelayMs: 500,
    log: cloud.log,
  })
  const dropped = (what: string, denial: string | undefined) =>
    cloud.log(`${consumer.service}: ${what} dropped, as AWS would: ${denial ?? 'not authorized'}`)
  // Lambda polls with the function's role; AWS refuses to create a mapping whose role cannot.
  void cloud
    .authorize({ kind: 'queue-to-function', functionName: fn.name, queueArn: queue.arn })
    .then((verdict) => {
      if (verdict.proceed) return queue.consume((event) => fn.invoke<SQSBatchResponse>(event))
      cloud.log(
        `${consumer.service}: no event source mapping ${wiring.queueName} -> ${fn.name}: ${verdict.denial}`,
      )
    })
    .catch((error: Error) =>
      cloud.log(`${consumer.service}: event source mapping not checked: ${error.message}`),
    )
  topic.subscribe({
    queue,
    rawMessageDelivery: wiring.rawMessageDelivery,
    admit: async () => {
      const verdict = await cloud.authorize({
        kind: 'topic-to-queue',
        topicArn: wiring.topicArn,
        queueArn: queue.arn,
      })
      if (!verdict.proceed) dropped(`SNS -> ${wiring.queueName}`, verdict.denial)
      return verdict.proceed
    },
  })
  const stop = routeS3Notifications({
    events: cloud.s3Events,
    region: cloud.region,
    routes: [
      {
        bucket: wiring.bucket,
        rules: wiring.rules,
        // S3 publishes as s3.amazonaws.com, allowed (or not) by the topic's policy and key policy.
        deliver: (event) =>
          void cloud
            .authorize({ kind: 's3-to-topic', bucket: wiring.bucket, topicArn: wiring.topicArn })
            .then((verdict) => {
              if (verdict.proceed) topic.publish(JSON.stringify(event), 'Amazon S3 Notification')
              else dropped(`S3 notification ${wiring.bucket} -> SNS`, verdict.denial)
            })
            .catch((error: Error) =>
              cloud.log(`${consumer.service}: S3 notification not checked: ${error.message}`),
            ),
      },
    ],
    log: cloud.log,
  })
  cloud.log(
    `${consumer.service}: ${wiring.bucket} (${wiring.rules.map((rule) => rule.prefix ?? '*').join(', ')}) -> SNS -> ${wiring.queueName} -> ${fn.name}`,
  )
  return async () => {
    stop()
    await queue.close()
  }
}
