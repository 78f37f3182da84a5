/**
 * The one enforcement point in front of the stand-ins: every AWS call a local function makes goes
 * to this HTTP server (its `AWS_ENDPOINT_URL_*`), which does what AWS does before a request reaches
 * a service: authenticates the SigV4 signature (./sigv4.ts) of the credentials the function's role
 * session was given, maps the request to IAM actions, resources and condition keys
 * (./requests.ts), evaluates the role's policies and the resource's policy with a maintained IAM
 * engine (`@cloud-copilot/iam-simulate`), and only then forwards it to the stand-in. A refusal is
 * the error the SDK would get from AWS (AccessDenied, SignatureDoesNotMatch, ...).
 *
 * The stand-in is chosen by the signature's service name, so one port serves DynamoDB (and its
 * streams), S3, SES v2 and Step Functions; CloudFront's invalidation API has no stand-in and is
 * answered here; a WebSocket API's `@connections` calls (`execute-api`) go to the serverless-offline
 * serving that API, chosen by the API id in the path (./execute-api.ts). Unsigned requests can only
 * be S3's (anonymous access).
 *
 * S3 conditional writes (`If-None-Match: *`, `If-Match`) are S3's own checks, which s3rver lacks:
 * they hold in every mode (./s3-conditional-writes.ts); so do Step Functions' refusals of
 * Standard-only calls on Express executions (./step-functions-semantics.ts). With IAM `off` there is no gateway, and
 * no conditional writes either.
 *
 * Modes: `enforce` refuses; `report` logs and lets the request through; every decision lands in
 * the report (`report()`): per function, what it used, what its role lacked, what it never used.
 */
import { randomUUID } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { listenOnLoopback } from '../http-server'
import { managementCallOf, managementUpstreamKey } from './execute-api'
import type { FunctionIdentity, PolicyDocument } from './identities'
import { type IamReport, ReportRecorder } from './report'
import { type ArnContext, type AuthorizationRequest, authorizationRequestsOf } from './requests'
import { conditionalWriteOf, conditionRefusal, currentEtagOf, keyLocks } from './s3-conditional-writes'
import { type Credentials, claimOf, type SignedRequest, verifySignature } from './sigv4'
import { stepFunctionsRefusal } from './step-functions-semantics'

export type IamMode = 'enforce' | 'report' | 'off'

export const iamModes: readonly IamMode[] = ['enforce', 'report', 'off']

export interface Principal {
  identity: FunctionIdentity
  credentials: Credentials
  /** Condition keys of the session (an identity pool's `cognito-identity.amazonaws.com:*`, principal tags). */
  context?: Record<string, string | string[]>
}

export interface AwsGatewayOptions extends ArnContext {
  port: number
  mode: Exclude<IamMode, 'off'>
  /**
   * Stand-in endpoint per SigV4 signing name: `dynamodb`, `s3`, `ses`, `states`; and per WebSocket
   * API, its `@connections` server under `execute-api/<api-id>` (./execute-api.ts).
   */
  upstreams: Record<string, string>
  log?: (line: string) => void
}

export interface RunningAwsGateway {
  readonly url: string
  /** Who may call (until set, requests wait: roles come from packaged templates). */
  setPrincipals(principals: readonly Principal[], resourcePolicies: ReadonlyMap<string, PolicyDocument>): void
  /** A session created later (an identity pool's credentials). */
  addPrincipal(principal: Principal): void
  /** Fails requests still waiting for principals (the cloud could not derive them). */
  failPrincipals(error: Error): void
  /**
   * What AWS checks before one of its services acts on the templates' behalf (a delivery, an
   * invocation, a poll): every request for `caller`, in order, the first refusal ends it. A refusal
   * is logged and counted in the report; in `report` mode the call goes ahead all the same.
   */
  authorize(caller: Caller, requests: readonly AuthorizationRequest[], what: string): Promise<ServiceVerdict>
  report(): IamReport
  stop(): Promise<void>
}

type Refusal = { code: string; message: string; status?: number }

/** A role session (a function's, an identity pool's, a state machine's) or an AWS service principal. */
export type Caller = Principal | { service: string }

export interface ServiceVerdict {
  /** Whether the call goes ahead: allowed, or refused in `report` mode. */
  proceed: boolean
  /** AWS's words for the refusal, when there was one. */
  denial?: string
}

/** JSON protocols (DynamoDB, Step Functions) answer 400 with `__type`; REST-JSON (SES v2) 403; S3 XML. */
const sendRefusal = (response: ServerResponse, service: string, method: string, refusal: Refusal) => {
  const requestId = randomUUID()
  if (service === 's3') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message><RequestId>${requestId}</RequestId></Error>`
    response.writeHead(refusal.status ?? 403, {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
    })
    return response.end(method === 'HEAD' ? undefined : body)
  }
  if (service === 'cloudfront') {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>${refusal.code}</Code><Message>${escapeXml(refusal.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    response.writeHead(refusal.status ?? 403, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId })
    return response.end(body)
  }
  // REST-JSON protocols: SES v2, and API Gateway (IAM refusals are 403 AccessDeniedException there too).
  const json = service === 'ses' || service === 'execute-api'
  response.writeHead(refusal.status ?? (json ? 403 : 400), {
    'content-type': json ? 'application/json' : 'application/x-amz-json-1.0',
    'x-amzn-errortype': refusal.code,
    'x-amzn-requestid': requestId,
  })
  response.end(
    JSON.stringify(
      json
        ? { message: refusal.message }
        : { __type: `com.amazon.coral.service#${refusal.code}`, message: refusal.message },
    ),
  )
}

/**
 * CloudFront's answers to the invalidation calls (2020-05-31 API): a CreateInvalidation is
 * `Completed` at once, as nothing is cached locally; other calls were refused by the mapping.
 */
const answerCloudFront = (request: SignedRequest, response: ServerResponse) => {
  const distribution = /\/distribution\/([A-Z0-9]+)\//.exec(request.path)?.[1] ?? ''
  const batch = Buffer.from(request.body).toString('utf8')
  const id = `I${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}`
  const invalidation = `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>${id}</Id><Status>Completed</Status><CreateTime>${new Date().toISOString()}</CreateTime>${/<InvalidationBatch[\s\S]*<\/InvalidationBatch>/.exec(batch)?.[0] ?? ''}</Invalidation>`
  response.writeHead(request.method === 'POST' ? 201 : 200, {
    'content-type': 'text/xml',
    ...(request.method === 'POST'
      ? {
          location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/${distribution}/invalidation/${id}`,
        }
      : {}),
    'x-amzn-requestid': randomUUID(),
  })
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${invalidation}`)
}

/** The REST-XML APIs (S3, CloudFront) call it AccessDenied; the JSON ones AccessDeniedException. */
const accessDeniedCode = (service: string) =>
  service === 's3' || service === 'cloudfront' ? 'AccessDenied' : 'AccessDeniedException'

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The signature's refusal codes as each protocol names them. */
const authenticationRefusal = (service: string, code: string, message: string): Refusal => {
  if (code === 'RequestExpired' || code === 'RequestTimeTooSkewed')
    return service === 's3' && code === 'RequestExpired'
      ? { code: 'AccessDenied', message }
      : { code: service === 's3' ? code : 'InvalidSignatureException', message }
  if (code === 'UnknownKey')
    return service === 's3'
      ? {
          code: 'InvalidAccessKeyId',
          message: 'The AWS Access Key Id you provided does not exist in our records.',
        }
      : {
          code: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        }
  return service === 's3'
    ? { code: 'SignatureDoesNotMatch', message }
    : { code: 'InvalidSignatureException', message }
}

const S3_AUTH_QUERY = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i

/**
 * s3rver knows one key pair of its own and would refuse the functions' role sessions: once the
 * gateway has authenticated and authorized a request, it reaches s3rver without credentials (which
 * s3rver serves, having no access control of its own).
 */
const withoutS3Authentication = (request: IncomingMessage) => {
  const [path = '/', query = ''] = (request.url ?? '/').split(/\?(.*)/s)
  const kept = query.split('&').filter((pair) => pair && !S3_AUTH_QUERY.test(pair.split('=')[0] ?? ''))
  const { authorization: _authorization, 'x-amz-security-token': _token, ...headers } = request.headers
  return { path: kept.length ? `${path}?${kept.join('&')}` : path, headers }
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })

const headersOf = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value
  return headers
}

export const startAwsGateway = async (options: AwsGatewayOptions): Promise<RunningAwsGateway> => {
  const { port, mode, upstreams, region, accountId } = options
  const log = options.log ?? (() => {})
  const recorder = new ReportRecorder()
  let principals = new Map<string, Principal>()
  let resourcePolicies: ReadonlyMap<string, PolicyDocument> = new Map()
  let principalsReady!: () => void
  let principalsFailed!: (error: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    principalsReady = resolve
    principalsFailed = reject
  })
  ready.catch(() => {})
  const decisions = new Map<string, Promise<{ allowed: boolean; statements: string[]; explicit: boolean }>>()

  /** Bucket policies guard the bucket's objects too; every other resource policy its own ARN. */
  const resourcePolicyOf = (wanted: AuthorizationRequest) =>
    wanted.action.startsWith('s3:')
      ? resourcePolicies.get(wanted.resource.split('/')[0]!)
      : resourcePolicies.get(wanted.resource)

  const decide = (caller: Caller, wanted: AuthorizationRequest) => {
    const resourcePolicy = resourcePolicyOf(wanted)
    const key = JSON.stringify([
      'service' in caller ? caller.service : caller.credentials.accessKeyId,
      wanted,
    ])
    const cached = decisions.get(key)
    if (cached) return cached
    const principalContext =
      'service' in caller
        ? {}
        : {
            'aws:PrincipalArn': caller.identity.roleArn,
            'aws:PrincipalAccount': accountId,
            ...caller.context,
          }
    const decision = runSimulation(
      {
        identityPolicies:
          'service' in caller
            ? []
            : caller.identity.policies.map(({ name, document }) => ({ name, policy: document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(resourcePolicy ? { resourcePolicy } : {}),
        request: {
          principal: 'service' in caller ? caller.service : caller.identity.sessionArn,
          action: wanted.action,
          resource: { resource: wanted.resource, accountId },
          contextVariables: {
            // Loopback stands in for AWS's TLS endpoints: TLS-only policies hold as deployed.
            'aws:SecureTransport': 'true',
            ...principalContext,
            ...wanted.context,
          },
        },
      },
      {},
    ).then((result) => {
      if (result.resultType === 'error') {
        log(`iam: cannot evaluate ${wanted.action} on ${wanted.resource}: ${JSON.stringify(result.errors)}`)
        return { allowed: false, statements: [], explicit: false }
      }
      const analysis = result.resultType === 'single' ? result.result.analysis : undefined
      const statements = (analysis?.identityAnalysis?.allowStatements ?? []).map(
        (allow) => `${allow.policyId}#${allow.explain.identifier}`,
      )
      return {
        allowed: result.overallResult === 'Allowed',
        statements,
        explicit: result.overallResult === 'ExplicitlyDenied',
      }
    })
    decisions.set(key, decision)
    return decision
  }

  /** `upstreamPath`: where the upstream serves it, when not the request's own path (`@connections`). */
  const forward = (
    target: string,
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse,
    upstreamPath?: string,
  ) => {
    const url = new URL(target)
    const { path, headers } =
      target === upstreams.s3
        ? withoutS3Authentication(request)
        : { path: upstreamPath ?? request.url, headers: request.headers }
    const upstream = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path,
        headers: { ...headers, host: url.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    upstream.on('error', (error) => {
      if (response.headersSent) return response.destroy()
      response.writeHead(502, { 'content-type': 'text/plain' })
      response.end(`local AWS gateway: ${target} did not answer (${error.message})`)
    })
    upstream.end(body)
  }

  const locked = keyLocks()
  /**
   * Forwards an authorized request; an S3 write with `If-None-Match`/`If-Match` is first checked
   * against the stored object (./s3-conditional-writes.ts), holding its key until s3rver answered.
   */
  const deliver = (
    target: string,
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse,
    signed: SignedRequest,
  ) => {
    // Step Functions' own refusals (Standard-only operations on an Express execution).
    const refused = target === upstreams.states ? stepFunctionsRefusal(signed) : undefined
    if (refused) return sendRefusal(response, 'states', signed.method, refused)
    const write =
      target === upstreams.s3
        ? conditionalWriteOf(signed.method, signed.path, signed.query, signed.headers)
        : undefined
    if (!write) return forward(target, request, body, response)
    return locked(`${write.bucket}/${write.key}`, async () => {
      const refusal = conditionRefusal(write.conditions, await currentEtagOf(target, write.bucket, write.key))
      if (refusal) return sendRefusal(response, 's3', signed.method, refusal)
      const answered = new Promise<void>((resolve) => response.once('close', resolve))
      forward(target, request, body, response)
      await answered
    })
  }

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request)
    const [path = '/', query = ''] = (request.url ?? '/').split(/\?(.*)/s)
    const signed: SignedRequest = {
      method: request.method ?? 'GET',
      path,
      query,
      headers: headersOf(request),
      body,
    }
    // A CORS preflight carries no credentials, in AWS too: S3 answers it from the bucket's CORS rules.
    if (signed.method === 'OPTIONS' && upstreams.s3) return forward(upstreams.s3, request, body, response)
    const claim = claimOf(signed)
    const service = claim && claim !== 'malformed' ? claim.service : 's3'
    const management = service === 'execute-api' ? managementCallOf(signed.path) : undefined
    // CloudFront has no stand-in: the gateway answers its invalidations itself (the local edge caches nothing).
    const target =
      service === 'cloudfront'
        ? 'local'
        : management
          ? upstreams[managementUpstreamKey(management.apiId)]
          : upstreams[service]
    const proceed = () =>
      service === 'cloudfront'
        ? answerCloudFront(signed, response)
        : management
          ? forward(target!, request, body, response, management.upstreamPath)
          : deliver(target!, request, body, response, signed)
    if (claim === 'malformed')
      return sendRefusal(response, service, signed.method, {
        code: 'AuthorizationHeaderMalformed',
        message: 'The authorization header is malformed',
        status: 400,
      })
    if (!target)
      return sendRefusal(response, service, signed.method, {
        code: 'UnknownOperationException',
        message: `no local stand-in for ${service}`,
        status: 400,
      })
    if (!claim) {
      // Anonymous: only a resource policy could allow it, and none of ours grants the public.
      const what = authorizationRequestsOf('s3', signed, { region, accountId })
      const summary = what.ok ? what.requests.map((r) => `${r.action} ${r.resource}`).join(', ') : what.reason
      recorder.anonymous(summary)
      if (mode === 'enforce')
        return sendRefusal(response, 's3', signed.method, { code: 'AccessDenied', message: 'Access Denied' })
      log(`iam (report): anonymous ${summary} would be denied`)
      return proceed()
    }
    await ready
    const principal = principals.get(claim.accessKeyId)
    /** `evaluated`: the report already counts it as a missing grant (decided()). */
    const refuse = (refusal: Refusal, note: string, evaluated = false) => {
      if (!evaluated)
        recorder.refused(principal?.identity.functionName ?? `unknown key ${claim.accessKeyId}`, note)
      log(`iam (${mode}): ${mode === 'enforce' ? 'refused' : 'would refuse'} ${note}`)
      if (mode === 'enforce') return sendRefusal(response, service, signed.method, refusal)
      return proceed()
    }
    if (!principal)
      return refuse(
        authenticationRefusal(service, 'UnknownKey', ''),
        `unknown access key ${claim.accessKeyId}`,
      )
    const verdict = await verifySignature(signed, claim, principal.credentials)
    if (!verdict.ok)
      return refuse(
        authenticationRefusal(service, verdict.code, verdict.message),
        `${principal.identity.functionName}: ${verdict.message}`,
      )
    const wanted = authorizationRequestsOf(service, signed, { region, accountId })
    if (!wanted.ok)
      return refuse(
        { code: accessDeniedCode(service), message: wanted.reason },
        `${principal.identity.functionName}: ${wanted.reason}`,
      )
    for (const one of wanted.requests) {
      const decision = await decide(principal, one)
      recorder.decided(principal.identity, one, decision.allowed, decision.statements)
      if (decision.allowed) continue
      const because = decision.explicit
        ? `with an explicit deny`
        : `because no identity-based policy allows the ${one.action} action`
      return refuse(
        {
          code: accessDeniedCode(service),
          message: `User: ${principal.identity.sessionArn} is not authorized to perform: ${one.action} on resource: ${one.resource} ${because}`,
        },
        `${principal.identity.functionName}: denied ${one.action} on ${one.resource}`,
        true,
      )
    }
    return proceed()
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      log(`iam: ${request.method} ${request.url} failed in the gateway: ${error.message}`)
      if (response.headersSent) return response.destroy()
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(`local AWS gateway error: ${error.message}`)
    })
  })
  const listening = await listenOnLoopback(server, port)
  return {
    url: listening.url,
    setPrincipals(list, policies) {
      principals = new Map(list.map((principal) => [principal.credentials.accessKeyId, principal]))
      resourcePolicies = policies
      decisions.clear()
      recorder.know(list.map((principal) => principal.identity))
      principalsReady()
    },
    addPrincipal(principal) {
      principals.set(principal.credentials.accessKeyId, principal)
      recorder.know([principal.identity])
    },
    failPrincipals: (error) => principalsFailed(error),
    async authorize(caller, requests, what) {
      await ready
      for (const one of requests) {
        const decision = await decide(caller, one)
        if ('service' in caller) recorder.delivered(caller.service, one, decision.allowed, what)
        else recorder.decided(caller.identity, one, decision.allowed, decision.statements)
        if (decision.allowed) continue
        const who = 'service' in caller ? caller.service : caller.identity.sessionArn
        const denial = `${who} is not authorized to perform: ${one.action} on resource: ${one.resource}`
        log(`iam (${mode}): ${mode === 'enforce' ? 'refused' : 'would refuse'} ${what}: ${denial}`)
        return { proceed: mode !== 'enforce', denial }
      }
      return { proceed: true }
    },
    report: () => recorder.report(mode),
    stop: () => listening.stop(),
  }
}
