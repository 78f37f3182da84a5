/**
 * How `pnpm dev` and the integration tests run the workflows service (contract:
 * packages/local-cloud/src/service.ts). The jobs table and data bucket come from serverless.yml
 * like every resource; here the state machines start: the definitions of the resolved
 * serverless.yml (`sls print`, cached) run in the local Step Functions host, each task our
 * handler run by the local cloud in a sandbox of its own with the deployed function's environment
 * (`cloud.lambda`), and serverless-offline's start/status functions reach it through
 * `AWS_ENDPOINT_URL_SFN` (the cloud's `stepFunctions` endpoint), with the same SFN adapter as AWS.
 * Blog photos start the photo pipeline as in AWS (photo-uploads.yml): s3rver's events for
 * blog-site's uploads bucket go through the generic notification router (rules from blog-site's
 * template), a local SNS topic and this service's queue (settings from our template) into
 * `startUploadedPhotoJobs`, which starts the photo machine on the local host.
 */
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import type { PrintedService } from '@app/local-cloud/template/print'
import {
  LocalQueue,
  LocalTopic,
  type NotificationRule,
  notificationRulesOf,
  routeS3Notifications,
} from '@app/local-cloud/wiring/s3-notifications'
import {
  modelFromPrinted,
  type PrintedConfig,
  type ServiceModel,
  startStepFunctionsHost,
} from '@app/local-cloud/wiring/step-functions'
import type { SQSBatchResponse } from 'aws-lambda'

const name = 'workflows'
const serviceDir = import.meta.dirname
/** The function the uploads queue feeds, and the service whose bucket and topic it listens to. */
const uploadsFunction = 'startUploadedPhotoJobs'
const upstream = 'blog-site'

/** The state machines and functions of the resolved serverless.yml the runner printed for this run. */
export const localModel = (cloud: Pick<LocalCloud, 'config' | 'region'>): ServiceModel => {
  const printed = cloud.config(name)
  if (!printed) throw new Error('workflows: the local cloud has no resolved serverless.yml for this service')
  return modelFromPrinted(printed as unknown as PrintedConfig, cloud.region)
}

type Resource = { Type: string; Condition?: string; Properties?: Record<string, unknown> }
interface Fragment {
  Resources?: Record<string, Resource>
  Outputs?: Record<string, { Value: unknown }>
  Conditions?: Record<string, unknown>
}

/** One section of `resources` as printed (one object, or a list of `${file()}` fragments), merged. */
const section = <K extends keyof Fragment>(config: PrintedService, key: K): NonNullable<Fragment[K]> =>
  Object.assign({}, ...[config.resources].flat().map((part) => (part as Fragment | undefined)?.[key] ?? {}))

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The one condition shape our templates use: `Fn::Equals` of two values the print resolved. */
const holds = (conditions: Record<string, unknown>, condition: string): boolean => {
  const equals = (conditions[condition] as { 'Fn::Equals'?: unknown } | undefined)?.['Fn::Equals']
  if (!Array.isArray(equals) || equals.length !== 2 || equals.some((value) => typeof value === 'object'))
    throw new Error(`${name}: condition ${condition} is not an Fn::Equals of two plain values`)
  return String(equals[0]) === String(equals[1])
}

export interface UploadsWiring {
  readonly uploadsBucket: string
  readonly topicArn: string
  readonly rules: readonly NotificationRule[]
  readonly queueName: string
  readonly maxReceiveCount: number
  readonly batchSize: number
  readonly reportBatchItemFailures: boolean
  readonly rawMessageDelivery: boolean
}

/**
 * The blog photo path, everything taken from the two templates (nothing retyped): our function's
 * sqs event → its queue (name, redrive) → the SNS subscription to it (topic, raw delivery,
 * condition) → the blog-site output that is that topic → the uploads bucket's rules publishing to
 * it. Undefined when the subscription's condition is false (`autoStartPhotoPipeline: "false"`).
 */
export const uploadsWiring = (cloud: Pick<LocalCloud, 'config' | 'outputs'>): UploadsWiring | undefined => {
  const config = cloud.config(name)
  const blog = cloud.config(upstream)
  if (!config || !blog) throw new Error(`${name}: no resolved serverless.yml for ${name} or ${upstream}`)
  const own = section(config, 'Resources')
  const fn = config.functions?.[uploadsFunction]
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
      `${name}: ${uploadsFunction} needs an sqs event on a queue with a RedrivePolicy and an SNS subscription`,
    )
  if (subscription.Condition && !holds(section(config, 'Conditions'), subscription.Condition))
    return undefined
  // Our subscription names a topic that is one of blog-site's outputs; the uploads bucket's rules
  // publishing to the resource behind that output are the ones that reach us.
  const topicArn = String(subscription.Properties?.TopicArn)
  const outputName = Object.keys(cloud.outputs[upstream] ?? {}).find(
    (output) => cloud.outputs[upstream]?.[output] === topicArn,
  )
  const topicValue = outputName ? section(blog, 'Outputs')[outputName]?.Value : undefined
  const uploadsBucket = String(config.provider.environment?.UPLOADS_BUCKET ?? '')
  const rules = notificationRulesOf(section(blog, 'Resources'), uploadsBucket).filter(
    (rule) => rule.kind === 'topic' && (same(rule.destination, topicValue) || rule.destination === topicArn),
  )
  if (rules.length === 0)
    throw new Error(`${name}: ${upstream}'s bucket ${uploadsBucket} publishes nothing to ${topicArn}`)
  return {
    uploadsBucket,
    topicArn,
    rules,
    queueName: String(queue.Properties?.QueueName ?? `${name}-photo-uploads`),
    maxReceiveCount: Number(redrive.maxReceiveCount),
    batchSize: Number(sqs.batchSize ?? 10),
    reportBatchItemFailures: [sqs.functionResponseType].flat().includes('ReportBatchItemFailures'),
    rawMessageDelivery: [true, 'true'].includes(subscription.Properties?.RawMessageDelivery as string),
  }
}

/** Blog uploads → local topic → our queue → `startUploadedPhotoJobs`; returns its stop. */
const wireUploads = (cloud: LocalCloud): (() => Promise<void>) => {
  const settings = uploadsWiring(cloud)
  if (!settings) {
    cloud.log(`${name}: autoStartPhotoPipeline is off, blog photos do not start the photo pipeline`)
    return async () => {}
  }
  const startJobs = cloud.lambda(name, uploadsFunction)
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
  queue.consume((event) => startJobs.invoke<SQSBatchResponse>(event))
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
    `${name}: ${settings.uploadsBucket} (${settings.rules.map((rule) => rule.prefix ?? '*').join(', ')}) -> SNS -> ${settings.queueName} -> ${startJobs.name}`,
  )
  return async () => {
    stop()
    await queue.close()
  }
}

export default defineLocalService({
  name,
  offline: { httpPort: 3003, lambdaPort: 3103 },
  async wire(cloud) {
    // The model names each task's function as deployed; the runner knows functions by serverless.yml key.
    const keys = new Map(
      Object.entries(cloud.config(name)?.functions ?? {}).map(([key, fn]) => [fn.name ?? key, key]),
    )
    const host = await startStepFunctionsHost({
      model: localModel(cloud),
      serviceDir,
      region: cloud.region,
      lambda: (fn) => cloud.lambda(name, keys.get(fn.functionName) ?? fn.functionName),
      port: cloud.stepFunctionsPort,
      log: (line) => cloud.log(`workflows: ${line}`),
    })
    const stopUploads = wireUploads(cloud)
    return async () => {
      // Uploads first: a batch in flight may still start an execution on the host.
      await stopUploads()
      await host.stop()
    }
  },
  endpoints: (cloud) => ({
    workflowsApi: `${cloud.offline.workflows?.url ?? 'http://127.0.0.1:3003'}/${cloud.stage}/workflows`,
    stepFunctions: cloud.endpoints.stepFunctions,
  }),
})
