import type { APIGatewayProxyEvent, Context } from 'aws-lambda'

/** A REST API (v1) proxy event as API Gateway sends it after our TOKEN authorizer allowed the call. */
export const restEvent = (options: {
  method: string
  path: string
  resource?: string
  sub?: string | undefined
  headers?: Record<string, string>
  query?: Record<string, string> | null
  pathParameters?: Record<string, string> | null
  body?: string | null
  isBase64Encoded?: boolean
}): APIGatewayProxyEvent => ({
  httpMethod: options.method,
  path: options.path,
  resource: options.resource ?? options.path,
  headers: options.headers ?? {},
  multiValueHeaders: {},
  queryStringParameters: options.query ?? null,
  multiValueQueryStringParameters: null,
  pathParameters: options.pathParameters ?? null,
  stageVariables: null,
  body: options.body ?? null,
  isBase64Encoded: options.isBase64Encoded ?? false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    httpMethod: options.method,
    path: options.path,
    protocol: 'HTTP/1.1',
    requestId: 'request-id',
    requestTimeEpoch: 0,
    resourceId: 'resource',
    resourcePath: options.resource ?? options.path,
    stage: 'local',
    identity: {} as APIGatewayProxyEvent['requestContext']['identity'],
    authorizer: options.sub
      ? { sub: options.sub, username: options.sub, groups: '', principalId: options.sub }
      : null,
  },
})

export const lambdaContext = (name = 'todo-api-local-fn'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: name,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  memoryLimitInMB: '1024',
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
})
