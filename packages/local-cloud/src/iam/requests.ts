/**
 * What a request asks IAM for: the actions, resource ARNs and condition keys AWS's service
 * authorization reference documents for each API our functions call (DynamoDB, DynamoDB Streams,
 * S3, SES v2, Step Functions, CloudFront invalidations, API Gateway's `@connections`). Hand-written because it is a property of each service's wire
 * protocol (which header names the operation, where the resource sits in the body or path); the
 * evaluation of policies against it is the IAM engine's, not ours.
 *
 * A request this cannot map is refused rather than let through: locally unmapped must not mean
 * allowed, since AWS would check it.
 */
import { managementCallOf } from './execute-api'
import { parseQuery, type SignedRequest } from './sigv4'

export interface AuthorizationRequest {
  action: string
  resource: string
  context: Record<string, string | string[]>
}

export type Mapped = { ok: true; requests: AuthorizationRequest[] } | { ok: false; reason: string }

export interface ArnContext {
  region: string
  accountId: string
}

/**
 * DynamoDB Local names its tables `arn:aws:dynamodb:ddblocal:...`; policies resolve to the region's
 * ARNs. Both sides compare in the region's shape.
 */
export const awsShapedArn = (arn: string, region: string) =>
  arn.replace(/^arn:aws:dynamodb:ddblocal:/, `arn:aws:dynamodb:${region}:`)

/** The request's JSON body ({} when it has none or is not JSON). */
export const bodyJson = (request: Pick<SignedRequest, 'body'>): Record<string, unknown> => {
  try {
    const parsed = JSON.parse(Buffer.from(request.body).toString('utf8') || '{}') as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** The operation a JSON protocol's `X-Amz-Target` names under `prefix`. */
export const operationOf = (request: Pick<SignedRequest, 'headers'>, prefix: string) => {
  const target = request.headers['x-amz-target'] ?? ''
  return target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : undefined
}

const ok = (...requests: AuthorizationRequest[]): Mapped => ({ ok: true, requests })
const fail = (reason: string): Mapped => ({ ok: false, reason })

const dynamodb = (request: SignedRequest, arns: ArnContext): Mapped => {
  const operation = operationOf(request, 'DynamoDB_20120810')
  if (!operation) return fail('DynamoDB request without an X-Amz-Target operation')
  const body = bodyJson(request)
  const table = (name: unknown, index?: unknown) =>
    `arn:aws:dynamodb:${arns.region}:${arns.accountId}:table/${String(name)}${index ? `/index/${String(index)}` : ''}`
  const on = (action: string, resource: string): AuthorizationRequest => ({
    action: `dynamodb:${action}`,
    resource,
    context: {},
  })
  switch (operation) {
    case 'ListTables':
      return ok(on(operation, '*'))
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return ok(...Object.keys((body.RequestItems as object) ?? {}).map((name) => on(operation, table(name))))
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      // A transaction needs the item-level permission for each of its parts, on each table.
      const kinds: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
        Get: 'GetItem',
      }
      const items = (body.TransactItems as Record<string, { TableName?: string }>[] | undefined) ?? []
      return ok(
        ...items.flatMap((item) =>
          Object.entries(item).map(([kind, part]) => on(kinds[kind] ?? kind, table(part?.TableName))),
        ),
      )
    }
    default:
      if (typeof body.TableName !== 'string') return fail(`DynamoDB ${operation} without a TableName`)
      return ok(on(operation, table(body.TableName, body.IndexName)))
  }
}

const dynamodbStreams = (request: SignedRequest, arns: ArnContext): Mapped => {
  const operation = operationOf(request, 'DynamoDBStreams_20120810')
  if (!operation) return fail('DynamoDB Streams request without an X-Amz-Target operation')
  const body = bodyJson(request)
  if (operation === 'ListStreams') return ok({ action: 'dynamodb:ListStreams', resource: '*', context: {} })
  // GetRecords carries only the iterator, which DynamoDB Local encodes with the stream ARN inside.
  const streamArn =
    typeof body.StreamArn === 'string'
      ? body.StreamArn
      : /arn:aws:dynamodb:[^|"\s]+\/stream\/[0-9T:.-]+/.exec(String(body.ShardIterator ?? ''))?.[0]
  if (!streamArn) return fail(`DynamoDB Streams ${operation}: no stream ARN in the request`)
  return ok({ action: `dynamodb:${operation}`, resource: awsShapedArn(streamArn, arns.region), context: {} })
}

const stepFunctions = (request: SignedRequest): Mapped => {
  const operation = operationOf(request, 'AWSStepFunctions')
  if (!operation) return fail('Step Functions request without an X-Amz-Target operation')
  const body = bodyJson(request)
  const resource = body.stateMachineArn ?? body.executionArn ?? body.activityArn
  if (typeof resource !== 'string') {
    if (['ListStateMachines', 'ListActivities'].includes(operation) || operation.startsWith('SendTask'))
      return ok({ action: `states:${operation}`, resource: '*', context: {} })
    return fail(`Step Functions ${operation}: no resource ARN in the request`)
  }
  return ok({ action: `states:${operation}`, resource, context: {} })
}

const sesV2 = (request: SignedRequest, arns: ArnContext): Mapped => {
  if (request.method !== 'POST' || request.path !== '/v2/email/outbound-emails')
    return fail(`SES v2 ${request.method} ${request.path} is not mapped`)
  const body = bodyJson(request) as {
    FromEmailAddress?: string
    FromEmailAddressIdentityArn?: string
    ConfigurationSetName?: string
    Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] }
  }
  const from = body.FromEmailAddress ?? ''
  // The display name part (`Blog <hello@example.com>`) is not the address.
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim()
  const domain = address.split('@')[1]
  const identity = (name: string) => `arn:aws:ses:${arns.region}:${arns.accountId}:identity/${name}`
  const recipients = [
    ...(body.Destination?.ToAddresses ?? []),
    ...(body.Destination?.CcAddresses ?? []),
    ...(body.Destination?.BccAddresses ?? []),
  ]
  const context = { 'ses:FromAddress': address, 'ses:Recipients': recipients, 'ses:ApiVersion': '2' }
  // SES authorizes the identity that sends (the domain's when the address is not verified on its
  // own; locally every domain counts as verified) and the configuration set it names.
  const sending = body.FromEmailAddressIdentityArn ?? identity(domain ?? address)
  return ok(
    { action: 'ses:SendEmail', resource: sending, context },
    ...(body.ConfigurationSetName
      ? [
          {
            action: 'ses:SendEmail',
            resource: `arn:aws:ses:${arns.region}:${arns.accountId}:configuration-set/${body.ConfigurationSetName}`,
            context,
          },
        ]
      : []),
  )
}

const s3 = (request: SignedRequest): Mapped => {
  const [, bucket = '', ...rest] = request.path.split('/')
  const key = decodeURIComponent(rest.join('/'))
  const query = new Map(parseQuery(request.query))
  const has = (name: string) => query.has(name)
  const object = `arn:aws:s3:::${bucket}/${key}`
  const bucketArn = `arn:aws:s3:::${bucket}`
  const on = (action: string, resource: string, context: AuthorizationRequest['context'] = {}) => ({
    action: `s3:${action}`,
    resource,
    context,
  })
  if (!bucket) return ok(on('ListAllMyBuckets', '*'))
  const method = request.method
  if (!key) {
    if (method === 'GET' && has('uploads')) return ok(on('ListBucketMultipartUploads', bucketArn))
    if (method === 'GET' && has('versions')) return ok(on('ListBucketVersions', bucketArn))
    if (method === 'GET' && has('location')) return ok(on('GetBucketLocation', bucketArn))
    if (method === 'GET' || method === 'HEAD') {
      const context: Record<string, string> = { 's3:prefix': query.get('prefix') ?? '' }
      if (query.has('delimiter')) context['s3:delimiter'] = query.get('delimiter')!
      if (query.has('max-keys')) context['s3:max-keys'] = query.get('max-keys')!
      return ok(on('ListBucket', bucketArn, context))
    }
    if (method === 'POST' && has('delete')) {
      // DeleteObjects needs s3:DeleteObject on every key it names.
      const keys = [
        ...Buffer.from(request.body)
          .toString('utf8')
          .matchAll(/<Key>([^<]*)<\/Key>/g),
      ].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'))
      return ok(...keys.map((name) => on('DeleteObject', `${bucketArn}/${name}`)))
    }
    if (method === 'PUT') return ok(on('CreateBucket', bucketArn))
    if (method === 'DELETE') return ok(on('DeleteBucket', bucketArn))
    return fail(`S3 ${method} on a bucket is not mapped`)
  }
  if (has('tagging')) return ok(on(method === 'GET' ? 'GetObjectTagging' : 'PutObjectTagging', object))
  if (has('acl')) return ok(on(method === 'GET' ? 'GetObjectAcl' : 'PutObjectAcl', object))
  switch (method) {
    case 'GET':
    case 'HEAD':
      return ok(on(has('versionId') ? 'GetObjectVersion' : 'GetObject', object))
    case 'PUT': {
      const context: Record<string, string> = {}
      const encryption = request.headers['x-amz-server-side-encryption']
      if (encryption) context['s3:x-amz-server-side-encryption'] = encryption
      const copySource = request.headers['x-amz-copy-source']
      const source = copySource ? decodeURIComponent(copySource.split('?')[0]!.replace(/^\//, '')) : undefined
      return ok(
        on('PutObject', object, context),
        ...(source && !has('partNumber') ? [on('GetObject', `arn:aws:s3:::${source}`)] : []),
      )
    }
    case 'POST':
      // CreateMultipartUpload and CompleteMultipartUpload are both s3:PutObject.
      return ok(on('PutObject', object))
    case 'DELETE':
      return ok(on(has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject', object))
    default:
      return fail(`S3 ${method} on an object is not mapped`)
  }
}

/** CloudFront's REST API (2020-05-31): the invalidation calls a function makes. */
const cloudFront = (request: SignedRequest, arns: ArnContext): Mapped => {
  const match = /^\/2020-05-31\/distribution\/([A-Z0-9]+)\/invalidation(?:\/([A-Z0-9]+))?$/.exec(request.path)
  if (!match) return fail(`CloudFront ${request.method} ${request.path} is not mapped`)
  // CloudFront is global: its ARNs have no region.
  const distribution = `arn:aws:cloudfront::${arns.accountId}:distribution/${match[1]}`
  if (request.method === 'POST' && !match[2])
    return ok({ action: 'cloudfront:CreateInvalidation', resource: distribution, context: {} })
  if (request.method === 'GET')
    return ok({
      action: match[2] ? 'cloudfront:GetInvalidation' : 'cloudfront:ListInvalidations',
      resource: distribution,
      context: {},
    })
  return fail(`CloudFront ${request.method} ${request.path} is not mapped`)
}

/** API Gateway's `@connections` (PostToConnection POST, GetConnection GET, DeleteConnection DELETE): all `execute-api:ManageConnections`. */
export const managementRequestsOf = (method: string, path: string, arns: ArnContext): Mapped => {
  const call = managementCallOf(path)
  if (!call || !['POST', 'GET', 'DELETE'].includes(method))
    return fail(`execute-api ${method} ${path} is not a @connections call`)
  return ok({
    action: 'execute-api:ManageConnections',
    resource: `arn:aws:execute-api:${arns.region}:${arns.accountId}:${call.apiId}/${call.stage}/${method}/@connections/${decodeURIComponent(call.connectionId)}`,
    context: {},
  })
}

/** The authorization requests for one request to `service` (its SigV4 signing name). */
export const authorizationRequestsOf = (
  service: string,
  request: SignedRequest,
  arns: ArnContext,
): Mapped => {
  switch (service) {
    case 'dynamodb':
      return request.headers['x-amz-target']?.startsWith('DynamoDBStreams_')
        ? dynamodbStreams(request, arns)
        : dynamodb(request, arns)
    case 's3':
      return s3(request)
    case 'ses':
      return sesV2(request, arns)
    case 'states':
      return stepFunctions(request)
    case 'cloudfront':
      return cloudFront(request, arns)
    case 'execute-api':
      return managementRequestsOf(request.method, request.path, arns)
    default:
      return fail(`no local mapping of ${service} requests to IAM actions`)
  }
}
