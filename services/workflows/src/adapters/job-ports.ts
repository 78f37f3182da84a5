import { randomUUID } from 'node:crypto'
import type { SFNClient } from '@aws-sdk/client-sfn'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { JobPorts, StartPorts } from '../ports'
import { createJobQuota } from './dynamodb-job-quota'
import { createJobRepository } from './dynamodb-job-repository'
import { createSfnWorkflowStarter } from './sfn-workflow-starter'

/**
 * The ports of the functions that start and observe jobs (API and queue): the jobs table, Step
 * Functions, random ids and the clock. Clients and names (the function's config, `jobsEnvSchema`) come from its handler.ts.
 */
export const createJobPorts = (
  clients: { db: DynamoDBDocumentClient; sfn: SFNClient },
  names: {
    readonly JOBS_TABLE: string
    readonly RETENTION_DAYS: number
    readonly TEXT_STATE_MACHINE_ARN?: string | undefined
    readonly PHOTO_STATE_MACHINE_ARN?: string | undefined
  },
): JobPorts => ({
  jobs: createJobRepository(clients.db, names.JOBS_TABLE, { retentionDays: names.RETENTION_DAYS }),
  // A machine this function may not start has no ARN in its environment (serverless.yml).
  starter: createSfnWorkflowStarter(clients.sfn, {
    text: names.TEXT_STATE_MACHINE_ARN,
    photo: names.PHOTO_STATE_MACHINE_ARN,
  }),
  newId: randomUUID,
  now: () => new Date(),
})

/** The API start functions' ports: the job ports plus the callers' daily quota (its table and limit). */
export const createStartPorts = (
  clients: { db: DynamoDBDocumentClient; sfn: SFNClient },
  names: Parameters<typeof createJobPorts>[1] & {
    readonly QUOTA_TABLE: string
    readonly JOBS_PER_USER_PER_DAY: number
  },
): StartPorts => ({
  ...createJobPorts(clients, names),
  quota: createJobQuota(clients.db, names.QUOTA_TABLE, names.JOBS_PER_USER_PER_DAY),
})
