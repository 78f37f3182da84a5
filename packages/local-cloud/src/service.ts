/**
 * How a service plugs into the local cloud (`pnpm dev`, and the integration test setup).
 * Each service has one file, `services/<name>/local.ts`, whose default export is a `LocalService`.
 * The runner discovers them, derives the service's tables/buckets/pools from its serverless.yml
 * (compose order, compose params resolved from earlier services' local outputs), starts
 * serverless-offline for it if it declares `offline` ports, then calls `wire` and `seed`.
 *
 * Lifecycle of `startLocalCloud` (./phases):
 *   plan -> side by side: stand-ins, the AWS gateway (IAM templates packaging), serverless-offline
 *   for every HTTP service (its process gets `env()` with the cloud as planned: no outputs, no
 *   config yet) -> per service in compose order: resources, Outputs evaluated, `outputs()` ->
 *   the functions' environments -> the HTTP services' public ports -> `wire` (compose order) ->
 *   `seed` (compose order, when seeding) -> `endpoints`.
 */
import type { EventEmitter } from 'node:events'
import type { ServiceVerdict } from './iam/aws-gateway'
import type { Delivery } from './iam/deliveries'
import type { LocalFunction } from './lambda/runtime'
import type { PrintedService } from './template/print'

export interface LocalEndpoints {
  dynamodb: string
  dynamodbStreams: string
  s3: string
  ses: string
  sesInbox: string
  /** The foundation user pool (todo-api's) and, where its template has one, its identity pool. */
  cognito: { endpoint: string; userPoolId: string; clientId: string; identityPoolId?: string }
  /** Where AWS_ENDPOINT_URL_SFN points: services/workflows serves the Step Functions API there. */
  stepFunctions: string
  /**
   * The AWS gateway every local function calls the stand-ins through (IAM + SigV4, see src/iam);
   * absent with IAM off. The other endpoints here are the stand-ins themselves (administrator access).
   */
  awsGateway?: string
  /** Added by services: e.g. `todoApi`, `blogApi`, `blogSite`, `workflowsApi`. */
  [name: string]: unknown
}

export interface OfflineEndpoint {
  /** Base URL of the service's HTTP API (REST API v1 routes carry the stage: `<url>/local/...`). */
  url: string
  /** The local API Gateway's port (the public one). */
  httpPort: number
  lambdaPort: number
  /** serverless-offline's own HTTP port behind the gateway: never handed to clients. */
  offlinePort: number
  /**
   * serverless-offline's WebSocket port (`websocket` events, and the `@connections` management API
   * on the same port), when the service declares one. Clients connect to it directly: the local
   * API Gateway in front of the HTTP port proxies plain HTTP only.
   */
  websocketPort?: number
}

export interface LocalCloud {
  readonly stage: string
  readonly region: string
  /** Root of the repo. */
  readonly rootDir: string
  /** Persisted data (`<root>/.local` for `pnpm dev`, a temp dir in tests); services may keep state under `services/<name>/`. */
  readonly dataDir: string
  readonly endpoints: LocalEndpoints
  /**
   * Environment every local function gets on top of its serverless.yml environment: endpoint
   * overrides (`AWS_ENDPOINT_URL_*`), dummy credentials, Cognito issuer/client ids, stage.
   * serverless-offline runs with it (and `--localEnvironment`); `${env:X, ...}` in serverless.yml sees it.
   */
  readonly functionEnv: Readonly<Record<string, string>>
  /** Compose outputs of every service already started, by service then output name. */
  readonly outputs: Readonly<Record<string, Record<string, string>>>
  /** serverless-offline of each HTTP service that runs, by service name (ports differ in tests). */
  readonly offline: Readonly<Record<string, OfflineEndpoint>>
  /**
   * The port a service's own local server should listen on: `preferred` (+ `pnpm dev --port-offset`)
   * for `pnpm dev`, a free port in tests, so parallel runs never collide.
   */
  port(preferred: number): Promise<number>
  /** The port behind `endpoints.stepFunctions` (free-picked in tests). */
  readonly stepFunctionsPort: number
  /** A service's resolved serverless.yml (`sls print`, compose params substituted), as the runner used it. */
  config(service: string): PrintedService | undefined
  /**
   * A function of a service's serverless.yml, for event wiring to invoke (`functions.<key>`): its
   * handler in a sandbox of its own (a worker thread) with exactly the environment the deployed
   * function gets, derived from the resolved serverless.yml with local values (packages/local-cloud/src/lambda/).
   * One per function for the cloud's lifetime, started at its first invocation, stopped with the cloud.
   */
  lambda(service: string, functionKey: string): LocalFunction
  /**
   * Whether AWS would make this delivery for the templates (S3 → SNS, SNS → SQS, an event source
   * mapping's polls, a state machine's or a rule's invocation: src/iam/deliveries.ts), evaluated
   * against the packaged templates' roles and resource policies. Wiring asks before each delivery
   * and drops (or fails) what AWS would refuse; a refusal is logged and in the IAM report.
   */
  authorize(delivery: Delivery): Promise<ServiceVerdict>
  /** s3rver's in-process `event` emitter: real S3 notification records (ObjectCreated/ObjectRemoved). */
  readonly s3Events: EventEmitter
  log(message: string): void
}

export interface LocalService {
  /** Folder name under `services/`, same as the serverless-compose key. */
  readonly name: string
  /**
   * Ports for serverless-offline when the service has HTTP or WebSocket events (`pnpm dev`; tests
   * pick free ones). `websocketPort` for `websocket` events (serverless-offline then waits on it).
   */
  readonly offline?: { httpPort: number; lambdaPort: number; websocketPort?: number }
  /**
   * Local values for `Outputs` that reference resources with no local stand-in (e.g. a CloudFront
   * URL -> the local site URL). Called right after the service's resources exist, before later
   * services read its outputs. Outputs left unresolved get an `arn:aws:local:...:unavailable-locally/...` marker.
   */
  outputs?(cloud: LocalCloud): Record<string, string>
  /**
   * Extra environment for this service's functions, over serverless.yml's: its serverless-offline
   * process and the functions its wiring invokes (`cloud.lambda`), e.g. a local-only secret.
   * Called twice: for serverless-offline's process before any resource exists (`outputs` empty,
   * `config()` undefined), and per function with the whole cloud.
   */
  env?(cloud: LocalCloud): Record<string, string>
  /** Starts event wiring (stream pollers, S3 notifications, state machines); returns its stop. */
  wire?(cloud: LocalCloud): Promise<() => Promise<void>>
  /** Idempotent demo data; runs after `wire` on every start of `pnpm dev` (not in tests). */
  seed?(cloud: LocalCloud): Promise<void>
  /** Entries for `.local/endpoints.json` and the printed table. */
  endpoints?(cloud: LocalCloud): Record<string, unknown>
}

/** Identity helper so a service's `local.ts` is type-checked against the contract. */
export const defineLocalService = (service: LocalService): LocalService => service
