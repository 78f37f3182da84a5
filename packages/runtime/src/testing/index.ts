/**
 * Test doubles of what Lambda hands a function: the one `Context` fake and the event builders the
 * services' unit tests use (API Gateway REST proxy, SQS batch, DynamoDB stream batch, Step Functions
 * step input). Test code only (a dependency-cruiser rule keeps it out of function bundles); the
 * defaults are the shapes AWS sends, so a test states only what it is about.
 */
import { marshall } from '@aws-sdk/util-dynamodb'
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayTokenAuthorizerEvent,
  Context,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda'

const ACCOUNT = '000000000000'
const REGION = 'us-east-1'

/** A Lambda invocation context for `functionName` (each call a new request id). */
export const lambdaContext = (functionName = 'test-fn', overrides: Partial<Context> = {}): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}`,
  memoryLimitInMB: '1024',
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  ...overrides,
})

export interface RestEventInput {
  method?: string
  path?: string
  /** The API's resource template (`/todos/{id}`); the path when omitted. */
  resource?: string
  headers?: Record<string, string>
  query?: Record<string, string> | null
  pathParameters?: Record<string, string> | null
  body?: string | null
  isBase64Encoded?: boolean
  /** What our REQUEST/TOKEN authorizer put in `requestContext.authorizer`; null for a public route. */
  authorizer?: Record<string, string> | null
}

/** A REST API (v1) proxy event as API Gateway (and serverless-offline) hands it to a function. */
export const restEvent = (input: RestEventInput = {}): APIGatewayProxyEvent => {
  const method = input.method ?? 'GET'
  const path = input.path ?? '/'
  return {
    httpMethod: method,
    path,
    resource: input.resource ?? path,
    headers: input.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'local',
      httpMethod: method,
      path,
      protocol: 'HTTP/1.1',
      requestId: crypto.randomUUID(),
      requestTimeEpoch: 0,
      resourceId: 'resource',
      resourcePath: input.resource ?? path,
      stage: 'test',
      identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
      authorizer: input.authorizer ?? null,
    },
  }
}

let messages = 0
/** One SQS message as the event source mapping delivers it (first receive unless told otherwise). */
export const sqsRecord = (
  body: string,
  options: { receiveCount?: number; queueArn?: string; messageId?: string } = {},
): SQSRecord => ({
  messageId: options.messageId ?? `message-${++messages}`,
  receiptHandle: 'handle',
  body,
  attributes: {
    ApproximateReceiveCount: String(options.receiveCount ?? 1),
    SentTimestamp: '0',
    SenderId: 'x',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: options.queueArn ?? `arn:aws:sqs:${REGION}:${ACCOUNT}:test-queue`,
  awsRegion: REGION,
})

export const sqsEvent = (records: SQSRecord[]): SQSEvent => ({ Records: records })

let sequence = 1_000
/**
 * A DynamoDB stream record of `image` (NEW_IMAGE view, INSERT unless `overrides` say otherwise),
 * its `Keys` the image's `key` attributes, with increasing sequence numbers (what partial batch
 * responses report).
 */
export const streamRecord = (
  image: Record<string, unknown>,
  options: { key: readonly string[]; tableArn?: string; overrides?: Partial<DynamoDBRecord> },
): DynamoDBRecord => {
  const seq = String(sequence++).padStart(21, '0')
  const tableArn = options.tableArn ?? `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/test-table`
  return {
    eventID: `evt-${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: REGION,
    eventSourceARN: `${tableArn}/stream/2026-11-22T00:00:00.000`,
    dynamodb: {
      ApproximateCreationDateTime: 1_795_000_000,
      Keys: marshall(
        Object.fromEntries(options.key.map((name) => [name, image[name] ?? 'missing'])),
      ) as never,
      NewImage: marshall(image, { removeUndefinedValues: true }) as never,
      SequenceNumber: seq,
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    ...options.overrides,
  }
}

export const streamEvent = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records })

/**
 * What a `lambda:invoke` task of our state machines hands a step: the job state itself (the
 * machines pass `Payload.$: $` and read `$.Payload` back), after a trip through JSON (dates become
 * strings, `undefined` disappears), as the state machine stores it between states.
 */
export const stepInput = (state: unknown): unknown => JSON.parse(JSON.stringify(state))

/**
 * Imports a function's `handler.ts` as Lambda loads it: with `env` as its environment, fresh (its
 * module-scope config and clients are built again), and the environment put back afterwards; the
 * handler keeps what it read at load time, as in a Lambda instance.
 */
export const loadWithEnv = async <M>(load: () => Promise<M>, env: Record<string, string>): Promise<M> => {
  const { vi } = await import('vitest')
  vi.resetModules()
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value)
  try {
    return await load()
  } finally {
    vi.unstubAllEnvs()
  }
}

/**
 * A Cognito user pool stand-in for authorizer tests: its key set served on 127.0.0.1 (what the
 * authorizer fetches, `<issuer>/.well-known/jwks.json`), and access tokens signed as the pool signs
 * them. `env` is what an authorizer function reads (`authEnvSchema`).
 */
export const startTokenIssuer = async (clientId = 'test-client') => {
  const { createServer } = await import('node:http')
  const { exportJWK, generateKeyPair, SignJWT } = await import('jose')
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }],
  })
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const issuer = `http://127.0.0.1:${port}/local_pool`
  const now = () => Math.floor(Date.now() / 1000)
  return {
    env: { COGNITO_ISSUER: issuer, COGNITO_CLIENT_IDS: clientId },
    /** An access token of `sub` (in `groups`), with `claims` overriding the pool's defaults. */
    token: (sub: string, groups: string[] = [], claims: Record<string, unknown> = {}) =>
      new SignJWT({
        sub,
        token_use: 'access',
        client_id: clientId,
        username: sub,
        'cognito:groups': groups,
        iss: issuer,
        iat: now(),
        exp: now() + 3600,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A TOKEN authorizer's event: the caller's `Authorization` header and the method being called. */
export const tokenAuthorizerEvent = (authorizationToken: string) => ({
  type: 'TOKEN' as const,
  authorizationToken,
  methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:api-id/test/GET/things`,
})

/**
 * The handler test every TOKEN authorizer function owes (they are all `createTokenAuthorizer` over
 * the Cognito verifier): its `handler.ts` loaded with a token issuer's environment lets a token of
 * the configured pool and client through as its user, with its groups, and refuses a token of
 * another client. Call it at the top level of the function's handler.test.ts.
 */
export const describeTokenAuthorizer = async (
  name: string,
  load: () => Promise<{
    handler: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>
  }>,
  groups: string[] = [],
  options: { usagePlans?: boolean } = {},
): Promise<void> => {
  const { afterAll, describe, expect, it } = await import('vitest')
  const pool = await startTokenIssuer()
  afterAll(pool.close)
  // With usage plans the SDK clients are mocked for every test of the file (no network in unit tests).
  const usage = options.usagePlans ? await usageKeyMocks() : undefined
  const { handler } = await loadWithEnv(load, { ...pool.env, ...(usage ? USAGE_KEYS_ENV : {}) })
  if (usage) describeUsageKeys(name, handler, pool, usage, { describe, expect, it })

  describe(name, () => {
    it('lets a token of the configured pool and client through as its user', async () => {
      const result = await handler(tokenAuthorizerEvent(`Bearer ${await pool.token('user-1', groups)}`))
      expect(result.principalId).toBe('user-1')
      expect(result.context).toEqual({ sub: 'user-1', username: 'user-1', groups: JSON.stringify(groups) })
    })

    it('answers Unauthorized for a token of another client', async () => {
      const token = await pool.token('user-1', groups, { client_id: 'another-client' })
      await expect(handler(tokenAuthorizerEvent(`Bearer ${token}`))).rejects.toThrow('Unauthorized')
    })
  })
}

/** An authorizer's usage-key settings (`usageKeysEnvSchema`), plans enforced. */
const USAGE_KEYS_ENV = {
  STAGE: 'test',
  USAGE_PLANS_ENFORCED: 'true',
  USAGE_KEYS_TABLE: 'svc-test-usage-keys',
  USAGE_KEY_REQUESTS_QUEUE_URL:
    'https://sqs.us-east-1.amazonaws.com/123456789012/svc-test-usage-key-requests',
  NEWCOMER_USAGE_KEY: 'svctestnewcomerusagekey',
}

/**
 * The wiring of an authorizer of an API with per-user usage plans: its marker read (the configured
 * table) decides between the user's own key and the newcomer key, and a newcomer is asked for on the
 * configured queue. The SDK clients are mocked at the prototype, so the handler's own clients answer.
 */
const usageKeyMocks = async () => {
  const { mockClient } = await import('aws-sdk-client-mock')
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb')
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs')
  const db = mockClient(DynamoDBDocumentClient)
  const sqs = mockClient(SQSClient)
  const reset = (item?: Record<string, unknown>) => {
    db.reset()
    sqs.reset()
    db.on(GetCommand).resolves(item ? { Item: item } : {})
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' })
  }
  reset()
  return { db, sqs, reset, GetCommand, SendMessageCommand }
}

const describeUsageKeys = (
  name: string,
  handler: (event: APIGatewayTokenAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>,
  pool: Awaited<ReturnType<typeof startTokenIssuer>>,
  mocks: Awaited<ReturnType<typeof usageKeyMocks>>,
  vitest: Pick<typeof import('vitest'), 'describe' | 'expect' | 'it'>,
): void => {
  const { describe, expect, it } = vitest
  const { db, sqs, reset, GetCommand, SendMessageCommand } = mocks
  describe(`${name}: usage plans`, () => {
    it("names a provisioned user's own key, read from the configured table", async () => {
      reset({ sub: 'user-1' })
      const { usageKeyValue } = await import('../usage-keys')
      const result = await handler(tokenAuthorizerEvent(`Bearer ${await pool.token('user-1', [])}`))
      expect(result.usageIdentifierKey).toBe(usageKeyValue(USAGE_KEYS_ENV.STAGE, 'user-1'))
      expect(db.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({
        TableName: USAGE_KEYS_ENV.USAGE_KEYS_TABLE,
        Key: { sub: 'user-1' },
      })
      expect(sqs.commandCalls(SendMessageCommand)).toEqual([])
    })

    it('names the newcomer key for a user without a marker and asks for theirs on the configured queue', async () => {
      reset()
      const result = await handler(tokenAuthorizerEvent(`Bearer ${await pool.token('user-2', [])}`))
      expect(result.usageIdentifierKey).toBe(USAGE_KEYS_ENV.NEWCOMER_USAGE_KEY)
      const [send] = sqs.commandCalls(SendMessageCommand)
      expect(send?.args[0].input.QueueUrl).toBe(USAGE_KEYS_ENV.USAGE_KEY_REQUESTS_QUEUE_URL)
      expect(JSON.parse(send?.args[0].input.MessageBody ?? '{}')).toEqual({ sub: 'user-2' })
    })
  })
}

/**
 * The handler test every usage key provisioner function owes (`usageKeyProvisioner` over API Gateway
 * and the markers table, `@app/runtime/usage-key-provisioner`): its `handler.ts` loaded with its
 * settings, the SDK clients mocked to inject API Gateway's answers (a conflicting create, throttling).
 * Call it at the top level of the function's handler.test.ts.
 */
export const describeUsageKeyProvisioner = async (
  name: string,
  load: () => Promise<{ handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> }>,
): Promise<void> => {
  const { beforeEach, describe, expect, it } = await import('vitest')
  const { mockClient } = await import('aws-sdk-client-mock')
  const { DynamoDBDocumentClient, GetCommand, PutCommand } = await import('@aws-sdk/lib-dynamodb')
  const api = await import('@aws-sdk/client-api-gateway')
  const { usageKeyName, usageKeyRequestSchema, usageKeyValue } = await import('../usage-keys')
  const env = {
    STAGE: 'test',
    USAGE_KEYS_TABLE: 'svc-test-usage-keys',
    USAGE_PLAN_ID: 'plan-123',
    // One attempt: the injected throttling reaches the consumer at once (no back-off in tests).
    AWS_MAX_ATTEMPTS: '1',
  }
  const db = mockClient(DynamoDBDocumentClient)
  const gateway = mockClient(api.APIGatewayClient)
  const { handler } = await loadWithEnv(load, env)
  const invoke = (...subs: string[]) =>
    handler(
      sqsEvent(subs.map((sub) => sqsRecord(JSON.stringify({ sub }), { messageId: sub }))),
      lambdaContext(name),
    )
  const conflict = () => new api.ConflictException({ message: 'API Key already exists', $metadata: {} })

  describe(name, () => {
    beforeEach(() => {
      db.reset()
      gateway.reset()
      db.on(GetCommand).resolves({})
      db.on(PutCommand).resolves({})
      gateway.on(api.GetApiKeysCommand).resolves({ items: [] })
      gateway.on(api.CreateApiKeyCommand).resolves({ id: 'key-1' })
      gateway.on(api.CreateUsagePlanKeyCommand).resolves({ id: 'key-1' })
    })

    it("creates the user's key, puts it in the configured plan, then marks the user in the configured table", async () => {
      expect((await invoke('user-1')).batchItemFailures).toEqual([])
      expect(gateway.commandCalls(api.CreateApiKeyCommand)[0]?.args[0].input).toMatchObject({
        name: usageKeyName(env.STAGE, 'user-1'),
        value: usageKeyValue(env.STAGE, 'user-1'),
        enabled: true,
      })
      expect(gateway.commandCalls(api.CreateUsagePlanKeyCommand)[0]?.args[0].input).toEqual({
        usagePlanId: env.USAGE_PLAN_ID,
        keyId: 'key-1',
        keyType: 'API_KEY',
      })
      expect(db.commandCalls(PutCommand)[0]?.args[0].input).toEqual({
        TableName: env.USAGE_KEYS_TABLE,
        Item: { sub: 'user-1', keyId: 'key-1' },
      })
    })

    it('takes the existing key when the create conflicts, and a key already in the plan', async () => {
      gateway.on(api.CreateApiKeyCommand).rejects(conflict())
      gateway
        .on(api.GetApiKeysCommand)
        .resolvesOnce({ items: [] })
        .resolves({
          items: [
            { id: 'key-9', name: `${usageKeyName(env.STAGE, 'user-1')}0` },
            { id: 'key-7', name: usageKeyName(env.STAGE, 'user-1') },
          ],
        })
      gateway.on(api.CreateUsagePlanKeyCommand).rejects(conflict())
      expect((await invoke('user-1')).batchItemFailures).toEqual([])
      expect(db.commandCalls(PutCommand)[0]?.args[0].input.Item).toEqual({ sub: 'user-1', keyId: 'key-7' })
    })

    it('drops any malformed request (no retry can fix it) without touching API Gateway', async () => {
      const fc = (await import('fast-check')).default
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.json().filter((body) => !usageKeyRequestSchema.safeParse(JSON.parse(body)).success),
          ),
          async (body) => {
            const result = await handler(sqsEvent([sqsRecord(body)]), lambdaContext(name))
            expect(result.batchItemFailures).toEqual([])
          },
        ),
        { numRuns: 50 },
      )
      expect(gateway.calls()).toEqual([])
    })

    it('reports a throttled request for redelivery, its user unmarked, and goes on with the batch', async () => {
      gateway
        .on(api.CreateUsagePlanKeyCommand)
        .rejectsOnce(new api.TooManyRequestsException({ message: 'Too Many Requests', $metadata: {} }))
        .resolves({ id: 'key-1' })
      const result = await invoke('user-1', 'user-2')
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'user-1' }])
      expect(db.commandCalls(PutCommand).map((call) => call.args[0].input.Item?.sub)).toEqual(['user-2'])
    })
  })
}

/**
 * Everything the one logger (and EMF metrics) writes while `run` runs, at DEBUG level whatever
 * POWERTOOLS_LOG_LEVEL says (tests run SILENT): for tests that check what logs may never contain.
 */
export const captureLogs = async (run: () => Promise<unknown>): Promise<string> => {
  const { logger } = await import('../observability')
  const previous = logger.getLevelName()
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr] as const
  const writes = streams.map((stream) => stream.write)
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    }) as typeof stream.write
  logger.setLogLevel('DEBUG')
  // The HTTP stack's middleware re-applies the initial level (SILENT in tests) on every invocation
  // after the first (Powertools' debug sampling refresh): keep DEBUG while capturing.
  const refresh = logger.refreshSampleRateCalculation
  logger.refreshSampleRateCalculation = () => undefined
  try {
    await run()
  } finally {
    logger.refreshSampleRateCalculation = refresh
    streams.forEach((stream, i) => {
      stream.write = writes[i] as typeof stream.write
    })
    logger.setLogLevel(previous)
  }
  return chunks.join('')
}
