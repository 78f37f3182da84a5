/**
 * `pnpm bench welcome-mailer`: stream-to-inbox latency on the local cloud, side by side with what
 * it is made of. Each sample writes one new subscriber and waits until the thing measured is seen.
 *
 * - baseline `stream`: PutItem -> the record returned by a tight GetRecords loop on a table of the
 *   same shape (the floor: DynamoDB Local's stream itself);
 * - `handler`: one stream event handed straight to sendWelcome -> email in the inbox (ledger claim,
 *   SES SendEmail, mark sent: the function's own work);
 * - `end to end`: PutItem into blog-site's subscribers table -> email visible in aws-ses-v2-local,
 *   through local.ts's event source mapping (poll interval + filter + handler).
 *
 * Sequential samples (one subscriber in flight), after a warm-up; the machine is shared, so compare
 * the rows of one run rather than runs.
 */
import { performance } from 'node:perf_hooks'
import { localClients } from '@app/local-cloud/clients'
import { startLocalCloud } from '@app/local-cloud/cloud'
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { marshall } from '@aws-sdk/util-dynamodb'
import { sendWelcomeEnvironment } from '../local'
import { insertRecord, lambdaContext, streamEvent } from '../src/testing/fakes'
import { emailsTo, putSubscriber, readInbox, subscriberItem, uniqueAddress } from '../test/support'

const samples = Number(process.env.BENCH_SAMPLES ?? 60)
const warmup = 5

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN

const summarise = (name: string, values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    measure: name,
    n: values.length,
    'p50 ms': percentile(sorted, 50).toFixed(1),
    'p95 ms': percentile(sorted, 95).toFixed(1),
    'max ms': (sorted.at(-1) ?? Number.NaN).toFixed(1),
    'mean ms': (values.reduce((a, b) => a + b, 0) / values.length).toFixed(1),
  }
}

const waitForInbox = async (ses: string, address: string) => {
  // Only this sample's mail: the whole store grows with every sample and would slow the reads.
  const since = Math.floor(Date.now() / 1000) - 1
  for (;;) {
    if (emailsTo(await readInbox(ses, since), address).length) return
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const measure = async (label: string, run: () => Promise<number>) => {
  for (let i = 0; i < warmup; i++) await run()
  const values: number[] = []
  for (let i = 0; i < samples; i++) values.push(await run())
  process.stdout.write(`  ${label}: done\n`)
  return values
}

const main = async () => {
  const cloud = await startLocalCloud({ ports: 'auto', services: ['welcome-mailer'] })
  try {
    const { dynamodb, streams, ses } = localClients(cloud)
    const subscribersTable = cloud.outputs['blog-site']?.SubscribersTableName
    if (!subscribersTable) throw new Error('blog-site has no local SubscribersTableName output')

    // Baseline: the stream alone, read as fast as GetRecords answers.
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'bench-stream-baseline',
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    )
    const streamArn = TableDescription?.LatestStreamArn as string
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
    const shardId = StreamDescription?.Shards?.at(-1)?.ShardId as string
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
      )
    ).ShardIterator
    const stream = await measure('baseline: PutItem -> GetRecords', async () => {
      const item = subscriberItem(uniqueAddress('baseline'))
      const started = performance.now()
      await dynamodb.send(new PutItemCommand({ TableName: 'bench-stream-baseline', Item: marshall(item) }))
      for (;;) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
        iterator = page.NextShardIterator
        if (page.Records?.some((r) => r.dynamodb?.Keys?.email?.S === item.email))
          return performance.now() - started
      }
    })

    // The function as Lambda loads it (config at module scope), with its environment over the cloud's.
    Object.assign(process.env, await sendWelcomeEnvironment(cloud))
    const { handler } = await import('../src/functions/sendWelcome/handler')
    const direct = await measure('handler: event -> inbox', async () => {
      const item = subscriberItem(uniqueAddress('direct'))
      const started = performance.now()
      await handler(streamEvent([insertRecord(item)]), lambdaContext())
      await waitForInbox(cloud.endpoints.ses, item.email)
      return performance.now() - started
    })

    const endToEnd = await measure('end to end: PutItem -> inbox', async () => {
      const item = subscriberItem(uniqueAddress('e2e'))
      const started = performance.now()
      await putSubscriber(dynamodb, subscribersTable, item)
      await waitForInbox(cloud.endpoints.ses, item.email)
      return performance.now() - started
    })

    console.log(
      `\nwelcome-mailer: stream-to-inbox latency, ${samples} sequential samples each (after ${warmup} warm-up)`,
    )
    console.table([
      summarise('baseline: PutItem -> GetRecords (tight loop)', stream),
      summarise('handler: stream event -> inbox', direct),
      summarise('end to end: PutItem -> inbox (local poller)', endToEnd),
    ])
    dynamodb.destroy()
    streams.destroy()
    ses.destroy()
  } finally {
    await cloud.stop()
  }
}

await main()
