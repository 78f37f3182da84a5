/**
 * The functions the local cloud's event wiring invokes (S3 -> SNS -> SQS -> thumbnailer, the Step
 * Functions tasks of workflows, the subscribers stream -> welcome-mailer) run with the environment
 * their serverless.yml gives them when deployed: their logs carry their own service and function
 * name, their EMF metrics the namespace, all of them in one process at once. Observed where a
 * developer sees them under `pnpm dev`: this process's stdout and stderr. (This file starts its own cloud: the
 * run's shared one runs in vitest's main process, whose output a test cannot read.)
 */
import { randomUUID } from 'node:crypto'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { localClients } from '../clients'
import { type RunningLocalCloud, startLocalCloud } from '../cloud'

let cloud: RunningLocalCloud
const written: string[] = []

beforeAll(async () => {
  // What `pnpm dev` shows: test runs send functions' output to the run's log file instead.
  delete process.env.LOCAL_CLOUD_LOG_FILE
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream)
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString())
      return process.env.LOCAL_CLOUD_VERBOSE ? write(chunk, ...(rest as [])) : true
    })
  }
  cloud = await startLocalCloud({
    ports: 'auto',
    services: ['thumbnailer', 'welcome-mailer', 'workflows'],
    // Only the wired functions matter here; serverless-offline would add a minute of bundling.
    offline: false,
  })
}, 240_000)

afterAll(async () => {
  await cloud?.stop()
  vi.restoreAllMocks()
})

/** Every JSON line written to stdout so far. */
const jsonLines = (): Record<string, unknown>[] =>
  written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>]
      } catch {
        return []
      }
    })

const waitForLine = (match: (line: Record<string, unknown>) => boolean) =>
  vi.waitFor(
    () => {
      const line = jsonLines().find(match)
      if (!line) throw new Error(`no such line yet in:\n${written.join('').slice(-4000)}`)
      return line
    },
    { timeout: 60_000, interval: 200 },
  )

describe('functions invoked by the local wiring', { timeout: 120_000 }, () => {
  it("thumbnailer's makeThumbnails logs and emits metrics as deployed (service, function name, memory, namespace)", async () => {
    const key = `photos/env-test/${randomUUID()}.jpg`
    const { s3 } = localClients(cloud)
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: cloud.outputs['blog-site']!.UploadsBucketName,
          Key: key,
          Body: 'not a photo, and no photo item: the function acknowledges it as no-record',
          ContentType: 'image/jpeg',
        }),
      )
    } finally {
      s3.destroy()
    }
    const log = await waitForLine((line) => line.message === 'Photo processed' && line.key === key)
    expect(log).toMatchObject({
      service: 'thumbnailer',
      function_name: 'thumbnailer-local-makeThumbnails',
      function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:thumbnailer-local-makeThumbnails',
      function_memory_size: '1769',
    })
    const emf = await waitForLine(
      (line) => typeof line._aws === 'object' && line.service === 'thumbnailer' && 'Photos_no-record' in line,
    )
    expect(emf).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'serverless-classics' }] },
      stage: 'local',
    })
  })

  it("workflows' Step Functions tasks log as their own functions of their own service", async () => {
    const sfn = new SFNClient({
      region: cloud.region,
      endpoint: cloud.endpoints.stepFunctions,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    const name = `env-test-${randomUUID()}`
    try {
      // Input the first step refuses: it logs the failure, the machine's Catch records it.
      await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: `arn:aws:states:${cloud.region}:000000000000:stateMachine:workflows-local-text`,
          name,
          input: JSON.stringify({ notAJob: true }),
        }),
      )
    } finally {
      sfn.destroy()
    }
    const log = await waitForLine(
      (line) => line.message === 'Step failed' && line.function_name === 'workflows-local-validateText',
    )
    expect(log).toMatchObject({ service: 'workflows', function_memory_size: '512' })
  })

  it("welcome-mailer's sendWelcome gets its serverless.yml environment with local values", () => {
    const fn = cloud.lambda('welcome-mailer', 'sendWelcome')
    expect(fn.name).toBe('welcome-mailer-local-sendWelcome')
    expect(fn.environment).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'welcome-mailer',
      POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      STAGE: 'local',
      AWS_LAMBDA_FUNCTION_NAME: 'welcome-mailer-local-sendWelcome',
      SENT_LEDGER_TABLE_NAME: 'welcome-mailer-local-sent-emails',
      SITE_URL: expect.stringMatching(/^https?:\/\//),
      AWS_ENDPOINT_URL_SESV2: cloud.endpoints.awsGateway,
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA/),
    })
  })

  it('leaves no function with the defaults Powertools falls back to', () => {
    const all = written.join('')
    expect(all).not.toContain('service_undefined')
    expect(all).not.toContain('default_namespace')
    expect(all).not.toContain('Namespace should be defined')
  })
})
