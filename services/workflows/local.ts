/**
 * How `pnpm dev` and the integration tests run the workflows service (contract:
 * packages/local-cloud/src/service.ts). The jobs table and data bucket come from serverless.yml
 * like every resource; here the state machines start: the definitions of the resolved
 * serverless.yml (`sls print`, cached) run in the local Step Functions host, each task our
 * handler run by the local cloud in a sandbox of its own with the deployed function's environment
 * (`cloud.lambda`), and serverless-offline's start/status functions reach it through
 * `AWS_ENDPOINT_URL_SFN` (the cloud's `stepFunctions` endpoint), with the same SFN adapter as AWS.
 * Blog photos start the photo pipeline as in AWS (photo-uploads.yml): blog-site's uploads bucket →
 * its topic → our queue → `startUploadedPhotoJobs`, wired from the two templates by
 * `wireTopicQueue` (as the thumbnailer is), which starts the photo machine on the local host.
 * Step Functions' "Execution Status Change" events reach the function whose serverless.yml declares
 * the `eventBridge` rule on `aws.states` (`recordExecutionStatus`), in the shape EventBridge delivers,
 * for the statuses of its pattern: the host sends them, the function runs as `cloud.lambda`.
 * The text machine is Express (no such events): the subscription filter on its log group
 * (resources.yml) gets each execution's end that its pattern passes, as CloudWatch Logs delivers it.
 */
import { functionLogicalId } from '@app/cloudformation'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import type { PrintedService } from '@app/local-cloud/template/print'
import {
  type ExecutionStatus,
  logSubscriptionsOf,
  modelFromPrinted,
  type PrintedConfig,
  type ServiceModel,
  startStepFunctionsHost,
} from '@app/local-cloud/wiring/step-functions'
import { type TopicQueueConsumer, wireTopicQueue } from '@app/local-cloud/wiring/topic-queue'

const name = 'workflows'
const serviceDir = import.meta.dirname

/** The state machines and functions of the resolved serverless.yml the runner printed for this run. */
export const localModel = (cloud: Pick<LocalCloud, 'config' | 'region'>): ServiceModel => {
  const printed = cloud.config(name)
  if (!printed) throw new Error('workflows: the local cloud has no resolved serverless.yml for this service')
  return modelFromPrinted(printed as unknown as PrintedConfig, cloud.region)
}

/** Blog photos → blog-site's topic → our photo-uploads queue → `startUploadedPhotoJobs` (photo-uploads.yml). */
export const uploadsConsumer: TopicQueueConsumer = {
  service: name,
  functionKey: 'startUploadedPhotoJobs',
  upstream: 'blog-site',
  bucketVariable: 'UPLOADS_BUCKET',
}

interface StatusChangeRule {
  source?: string[]
  'detail-type'?: string[]
  detail?: { status?: ExecutionStatus[] }
}

/** The function (and its statuses) of the serverless.yml rule on Step Functions' status change events. */
export const statusChangeTarget = (printed: PrintedService | undefined) => {
  for (const [key, fn] of Object.entries(printed?.functions ?? {}))
    for (const event of fn.events ?? []) {
      const pattern = (event.eventBridge as { pattern?: StatusChangeRule } | undefined)?.pattern
      if (pattern?.source?.includes('aws.states'))
        return {
          functionId: functionLogicalId(key),
          ...(pattern.detail?.status ? { statuses: pattern.detail.status } : {}),
        }
    }
  return undefined
}

export default defineLocalService({
  name,
  offline: { httpPort: 3003, lambdaPort: 3103 },
  async wire(cloud) {
    // The model names each task's function as deployed; the runner knows functions by serverless.yml key.
    const keys = new Map(
      Object.entries(cloud.config(name)?.functions ?? {}).map(([key, fn]) => [fn.name ?? key, key]),
    )
    const events = statusChangeTarget(cloud.config(name))
    const host = await startStepFunctionsHost({
      model: localModel(cloud),
      serviceDir,
      region: cloud.region,
      lambda: (fn) => cloud.lambda(name, keys.get(fn.functionName) ?? fn.functionName),
      ...(events ? { executionEvents: events } : {}),
      logSubscriptions: logSubscriptionsOf(cloud.config(name)?.resources?.Resources ?? {}),
      port: cloud.stepFunctionsPort,
      // The machines' role invoking the tasks, the status rule and the log subscription invoking
      // their target: checked as in AWS.
      authorize: (delivery) => cloud.authorize(delivery),
      log: (line) => cloud.log(`workflows: ${line}`),
    })
    const stopUploads = wireTopicQueue(cloud, uploadsConsumer)
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
