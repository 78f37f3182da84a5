import { randomUUID } from 'node:crypto'
import { retryStrategy } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { SFNClient } from '@aws-sdk/client-sfn'
import { z } from 'zod'
import { serviceEnvSchema } from '../config'
import type { JobPorts } from '../jobs/use-cases'
import { db, env } from './aws'
import { createJobRepository } from './dynamo-job-repository'
import { createSfnWorkflowStarter } from './sfn-workflow-starter'

/** The start/status functions' extra configuration: which machines to start (one per start function). */
const machinesEnv = serviceEnvSchema
  .pick({ AWS_REGION: true, AWS_ENDPOINT_URL_SFN: true, AWS_MAX_ATTEMPTS: true })
  .extend({
    TEXT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
    PHOTO_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  })

/** Ports of the functions that start and observe jobs (API and queue), wired once per Lambda instance. */
export const createJobPorts = (raw: Record<string, string | undefined> = process.env): JobPorts => {
  const config = readConfig(machinesEnv, raw)
  const sfn = new SFNClient({
    region: config.AWS_REGION,
    retryStrategy: retryStrategy(config),
    ...(config.AWS_ENDPOINT_URL_SFN ? { endpoint: config.AWS_ENDPOINT_URL_SFN } : {}),
  })
  return {
    jobs: createJobRepository(db, env.JOBS_TABLE, { retentionDays: env.RETENTION_DAYS }),
    starter: createSfnWorkflowStarter(sfn, {
      text: config.TEXT_STATE_MACHINE_ARN,
      photo: config.PHOTO_STATE_MACHINE_ARN,
    }),
    newId: randomUUID,
    now: () => new Date(),
  }
}
