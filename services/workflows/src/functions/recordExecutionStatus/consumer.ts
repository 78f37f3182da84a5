import { gunzipSync } from 'node:zlib'
import { parseOrThrow } from '@app/domain'
import { flushMetrics, logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { z } from 'zod'
import type { JobRepository } from '../../ports'
import { type ExecutionEnd, recordExecutionEnd } from '../../use-cases/jobs'

/** EventBridge's "Step Functions Execution Status Change" event, the parts we use (the execution name is the job id). */
export const statusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    name: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
})

/** The terminal history event types of an execution that can end it without a state of ours running. */
const terminalTypes: Readonly<Record<string, ExecutionEnd['status'] | undefined>> = {
  ExecutionFailed: 'FAILED',
  ExecutionTimedOut: 'TIMED_OUT',
  ExecutionAborted: 'ABORTED',
}

// Standard `...:execution:<machine>:<name>`, Express `...:express:<machine>:<name>:<run id>`: the
// name (our job id) is the eighth field of both.
const executionArn = z
  .string()
  .regex(/^arn:[\w-]+:states:[\w-]*:\d*:(execution|express):[^:]+:[A-Za-z0-9_-]{1,80}(:[^:]+)?$/)

/**
 * One execution history event as Step Functions writes it to the machine's log group (logging
 * level ALL, execution data excluded: `details` carries error and cause, never the state's data).
 */
const historyEvent = z.object({
  type: z.string().min(1),
  execution_arn: executionArn,
  details: z.object({ error: z.string().nullish(), cause: z.string().nullish() }).nullish(),
})

/** `awslogs.data`: base64 of the gzip of the subscription's JSON document. */
const gzippedJson = z.base64().transform((data, context) => {
  try {
    return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as unknown
  } catch {
    context.addIssue({ code: 'custom', message: 'is not base64 of gzipped JSON' })
    return z.NEVER
  }
})

const logEventMessage = z.string().transform((message, context) => {
  try {
    return JSON.parse(message) as unknown
  } catch {
    context.addIssue({ code: 'custom', message: 'is not JSON' })
    return z.NEVER
  }
})

/**
 * What a CloudWatch Logs subscription hands its Lambda destination. Its filter passes the text
 * machine's terminal events only; a CONTROL_MESSAGE (CloudWatch checking the destination) has no
 * execution events.
 */
export const logSubscription = z.object({
  awslogs: z.object({
    data: gzippedJson.pipe(
      z.object({
        messageType: z.enum(['DATA_MESSAGE', 'CONTROL_MESSAGE']),
        logGroup: z.string(),
        logEvents: z.array(z.object({ id: z.string(), message: logEventMessage.pipe(historyEvent) })),
      }),
    ),
  }),
})

/** The executions' ends an event of either source reports, each job once (and where it came from, for the log). */
const endsOf = (event: unknown): { ends: ExecutionEnd[]; source: string } => {
  if (event && typeof event === 'object' && 'awslogs' in event) {
    const { data } = parseOrThrow(logSubscription, event, 'event').awslogs
    const ends = new Map<string, ExecutionEnd>()
    for (const { message } of data.messageType === 'DATA_MESSAGE' ? data.logEvents : []) {
      const status = Object.hasOwn(terminalTypes, message.type) ? terminalTypes[message.type] : undefined
      // A filter pattern wider than ours would pass other types: only an execution's end is news.
      if (!status) continue
      const jobId = message.execution_arn.split(':')[7]!
      ends.set(jobId, {
        jobId,
        status,
        error: message.details?.error ?? undefined,
        cause: message.details?.cause ?? undefined,
      })
    }
    return { ends: [...ends.values()], source: data.logGroup }
  }
  const { detail } = parseOrThrow(statusChange, event, 'event')
  return {
    ends: [
      {
        jobId: detail.name,
        status: detail.status,
        error: detail.error ?? undefined,
        cause: detail.cause ?? undefined,
      },
    ],
    source: detail.executionArn,
  }
}

/**
 * Records TIMED_OUT, ABORTED or FAILED on a job still RUNNING (a machine timeout or an abort runs
 * no state, so no Catch records them), from either source serverless.yml wires to it: the
 * EventBridge rule on the photo machine's (Standard) status changes, and the subscription on the
 * text machine's (Express) log group, whose executions send no status change events. Idempotent:
 * a repeated event, or one for a job a state already finished, changes nothing. A throw (a
 * malformed event, a DynamoDB fault) is retried by Lambda's async invocation, then lands in the
 * failure queue.
 */
export const createConsumer =
  (ports: { jobs: JobRepository }) =>
  async (event: unknown, context: Context): Promise<{ recorded: number }> => {
    logger.addContext(context)
    try {
      const { ends, source } = endsOf(event)
      let recorded = 0
      for (const end of ends) {
        const changed = await recordExecutionEnd(ports.jobs, end)
        if (changed) recorded += 1
        logger.info(changed ? 'Execution end recorded' : 'Execution end already recorded', {
          jobId: end.jobId,
          source,
          status: end.status,
          errorName: end.error,
        })
      }
      return { recorded }
    } finally {
      flushMetrics()
    }
  }
