/**
 * How `pnpm dev` and the integration tests run the thumbnailer (contract:
 * packages/local-cloud/src/service.ts). s3rver's in-process object events go through the generic
 * notification router, filtered by the uploads bucket's NotificationConfiguration in blog-site's
 * template, into a local SNS topic (envelope) and this service's queue (receive counts, partial
 * batch failures, redrive to a dead-letter list, settings from this serverless.yml), consumed by
 * the same `makeThumbnails` handler, run by the local cloud in a sandbox of its own with the
 * deployed function's environment (`cloud.lambda`).
 */

import { join } from 'node:path'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { readCompose, resolveComposeParams } from '@app/local-cloud/compose'
import { type PrintedService, printService, substituteParams } from '@app/local-cloud/template/print'
import {
  LocalQueue,
  LocalTopic,
  notificationRulesOf,
  routeS3Notifications,
} from '@app/local-cloud/wiring/s3-notifications'
import type { SQSBatchResponse } from 'aws-lambda'

const name = 'thumbnailer'
const functionName = 'makeThumbnails'
const upstream = 'blog-site'
const repoRoot = join(import.meta.dirname, '..', '..')

type CloudView = Pick<LocalCloud, 'stage' | 'region' | 'outputs' | 'functionEnv' | 'endpoints'> & {
  rootDir?: string
}

/** A service's resolved serverless.yml (the same `sls print` cache entry the runner made). */
const printed = async (cloud: CloudView, service: string): Promise<PrintedService> => {
  const rootDir = cloud.rootDir ?? repoRoot
  const compose = readCompose(rootDir).find((entry) => entry.name === service)
  const params = compose ? resolveComposeParams(compose, cloud.outputs) : {}
  const { printed } = await printService({
    serviceDir: join(rootDir, 'services', service),
    rootDir,
    stage: cloud.stage,
    paramNames: Object.keys(params),
    cacheDir: join(rootDir, '.local', 'cache'),
  })
  return substituteParams(printed, params)
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>

/** `resources` as printed: one object, or a list of `${file()}` fragments. */
const resourcesOf = (
  config: PrintedService,
): { Resources: Resources; Outputs: Record<string, { Value: unknown }> } => {
  const parts = [config.resources].flat() as {
    Resources?: Resources
    Outputs?: Record<string, { Value: unknown }>
  }[]
  return {
    Resources: Object.assign({}, ...parts.map((part) => part?.Resources ?? {})),
    Outputs: Object.assign({}, ...parts.map((part) => part?.Outputs ?? {})),
  }
}

const strings = (environment: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(environment ?? {})
      .filter((entry): entry is [string, string | number] => ['string', 'number'].includes(typeof entry[1]))
      .map(([key, value]) => [key, String(value)]),
  )

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Everything the local wiring takes from the two templates (nothing retyped here). */
export const localSettings = async (cloud: CloudView) => {
  const config = await printed(cloud, name)
  const blog = await printed(cloud, upstream)
  const own = resourcesOf(config).Resources
  const fn = config.functions?.[functionName]
  const env: Record<string, string> = {
    ...strings(config.provider.environment),
    ...strings(fn?.environment),
    ...cloud.functionEnv,
  }
  const sqs = (fn?.events ?? [])
    .map((event) => (event as { sqs?: Record<string, unknown> }).sqs)
    .find(Boolean)
  if (!sqs) throw new Error(`${name}: ${functionName} has no sqs event`)
  const queueId = Object.keys(own).find((id) => same(sqs.arn, { 'Fn::GetAtt': [id, 'Arn'] }))
  const queue = queueId ? own[queueId] : undefined
  const redrive = queue?.Properties?.RedrivePolicy as { maxReceiveCount?: number | string } | undefined
  const subscription = Object.values(own).find(
    (resource) =>
      resource.Type === 'AWS::SNS::Subscription' &&
      same(resource.Properties?.Endpoint, { 'Fn::GetAtt': [queueId, 'Arn'] }),
  )
  if (!queue || !redrive?.maxReceiveCount || !subscription) {
    throw new Error(
      `${name}: expected the sqs event's queue with a RedrivePolicy and an SNS subscription to it`,
    )
  }
  // The topic our subscription names is one of blog-site's outputs; the uploads bucket's rules
  // that publish to the resource behind that output are the ones that reach us.
  const topicArn = String(subscription.Properties?.TopicArn)
  const blogResources = resourcesOf(blog)
  const outputName = Object.keys(cloud.outputs[upstream] ?? {}).find(
    (output) => cloud.outputs[upstream]?.[output] === topicArn,
  )
  const topicValue = outputName ? blogResources.Outputs[outputName]?.Value : undefined
  const uploadsBucket = env.UPLOADS_BUCKET ?? ''
  const rules = notificationRulesOf(blogResources.Resources, uploadsBucket).filter(
    (rule) => rule.kind === 'topic' && (same(rule.destination, topicValue) || rule.destination === topicArn),
  )
  if (rules.length === 0)
    throw new Error(`${name}: ${upstream}'s bucket ${uploadsBucket} publishes nothing to ${topicArn}`)
  return {
    env,
    uploadsBucket,
    topicArn,
    rules,
    queueName: String(queue.Properties?.QueueName ?? `${name}-${cloud.stage}-queue`),
    maxReceiveCount: Number(redrive.maxReceiveCount),
    batchSize: Number(sqs.batchSize ?? 10),
    reportBatchItemFailures: [sqs.functionResponseType].flat().includes('ReportBatchItemFailures'),
    rawMessageDelivery: [true, 'true'].includes(subscription.Properties?.RawMessageDelivery as string),
  }
}

export default defineLocalService({
  name,
  async wire(cloud) {
    const settings = await localSettings(cloud)
    const makeThumbnails = cloud.lambda(name, functionName)
    const topic = new LocalTopic(settings.topicArn)
    const queue = new LocalQueue({
      name: settings.queueName,
      region: cloud.region,
      maxReceiveCount: settings.maxReceiveCount,
      batchSize: settings.batchSize,
      reportBatchItemFailures: settings.reportBatchItemFailures,
      retryDelayMs: 500,
      log: cloud.log,
    })
    queue.consume((event) => makeThumbnails.invoke<SQSBatchResponse>(event))
    topic.subscribe({ queue, rawMessageDelivery: settings.rawMessageDelivery })
    const stop = routeS3Notifications({
      events: cloud.s3Events,
      region: cloud.region,
      routes: [
        {
          bucket: settings.uploadsBucket,
          rules: settings.rules,
          deliver: (event) => topic.publish(JSON.stringify(event), 'Amazon S3 Notification'),
        },
      ],
      log: cloud.log,
    })
    cloud.log(
      `${name}: ${settings.uploadsBucket} (${settings.rules.map((rule) => rule.prefix ?? '*').join(', ')}) -> SNS -> ${settings.queueName} -> ${makeThumbnails.name}`,
    )
    return async () => {
      stop()
      await queue.close()
    }
  },
})
