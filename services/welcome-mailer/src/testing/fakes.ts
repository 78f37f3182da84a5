import { marshall } from '@aws-sdk/util-dynamodb'
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import type { Mailer, OutgoingEmail } from '../ports'
import type { SendWelcomeDeps } from '../send-welcome'
import { MemorySentLedger } from './memory-ledger'

export const subscriber = (n: number) => ({
  email: `reader${n}@example.com`,
  subscribedAt: new Date(Date.UTC(2026, 10, 22, 3, 0, n % 60)).toISOString(),
  unsubscribeToken: `token${String(n).padStart(17, '0')}`,
})

let sequence = 1_000
/** A stream record as Lambda delivers it (NEW_IMAGE view, INSERT unless told otherwise). */
export const insertRecord = (
  image: Record<string, unknown>,
  overrides: Partial<DynamoDBRecord> = {},
): DynamoDBRecord => {
  const seq = String(sequence++).padStart(21, '0')
  return {
    eventID: `evt-${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:000000000000:table/blog-site-test-subscribers/stream/2026-11-22T00:00:00.000',
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: marshall({ email: image.email ?? 'missing' }) as never,
      NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      SequenceNumber: seq,
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    ...overrides,
  }
}

export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records })

export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'welcome-mailer-test-sendWelcome',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:welcome-mailer-test-sendWelcome',
  memoryLimitInMB: '256',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/welcome-mailer-test-sendWelcome',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
})

/** An inbox standing in for SES: what was accepted, in order. `failNext` makes sends reject. */
export class InboxMailer implements Mailer {
  readonly sent: OutgoingEmail[] = []
  failures = 0

  async send(email: OutgoingEmail) {
    await Promise.resolve()
    if (this.failures > 0) {
      this.failures--
      throw Object.assign(new Error('Throttling: Maximum sending rate exceeded.'), {
        name: 'TooManyRequestsException',
      })
    }
    this.sent.push(email)
    return { messageId: `msg-${this.sent.length}` }
  }

  countTo(address: string) {
    return this.sent.filter((email) => email.to === address).length
  }
}

export class ManualClock {
  constructor(public ms = Date.UTC(2026, 10, 22, 3)) {}
  now = () => new Date(this.ms)
  advance(ms: number) {
    this.ms += ms
  }
}

export const fakeDeps = (overrides: Partial<SendWelcomeDeps> = {}) => {
  let claims = 0
  const deps = {
    mailer: new InboxMailer(),
    ledger: new MemorySentLedger(),
    clock: new ManualClock(),
    newClaimId: () => `claim-${++claims}`,
    site: { url: 'https://blog.example.com', name: 'Serverless Classics' },
    claimLeaseMs: 60_000,
  }
  return { ...deps, ...overrides } as typeof deps & SendWelcomeDeps
}
