/**
 * How a service plugs into the local cloud (`pnpm dev`, and the integration test setup).
 * Each service has one file, `services/<name>/local.ts`, whose default export is a `LocalService`.
 * The runner discovers them, derives the service's tables/buckets/pools from its serverless.yml,
 * starts serverless-offline for it if it has HTTP events, then calls `wire` and `seed`.
 */
import type { EventEmitter } from 'node:events'

export interface LocalEndpoints {
  dynamodb: string
  dynamodbStreams: string
  s3: string
  ses: string
  sesInbox: string
  cognito: { endpoint: string; userPoolId: string; clientId: string }
  /** Added by services: e.g. `todoApi`, `blogApi`, `blogSite`, `workflowsApi`. */
  [name: string]: unknown
}

export interface LocalCloud {
  readonly stage: string
  readonly region: string
  /** Root of the repo; `.local/` under it holds persisted data. */
  readonly rootDir: string
  readonly endpoints: LocalEndpoints
  /**
   * Environment every local function gets on top of its serverless.yml environment: endpoint
   * overrides (`AWS_ENDPOINT_URL_*`), dummy credentials, Cognito issuer/client ids, stage.
   */
  readonly functionEnv: Readonly<Record<string, string>>
  /** Compose outputs of every service already started, by service then output name. */
  readonly outputs: Readonly<Record<string, Record<string, string>>>
  /** s3rver's in-process `event` emitter: real S3 notification records (ObjectCreated/ObjectRemoved). */
  readonly s3Events: EventEmitter
  log(message: string): void
}

export interface LocalService {
  /** Folder name under `services/`, same as the serverless-compose key. */
  readonly name: string
  /** Ports for serverless-offline when the service has HTTP events. */
  readonly offline?: { httpPort: number; lambdaPort: number }
  /** Starts event wiring (stream pollers, S3 notifications, state machines); returns its stop. */
  wire?(cloud: LocalCloud): Promise<() => Promise<void>>
  /** Idempotent demo data; runs after `wire` on every start. */
  seed?(cloud: LocalCloud): Promise<void>
  /** Entries for `.local/endpoints.json` and the printed table. */
  endpoints?(cloud: LocalCloud): Record<string, unknown>
}

/** Identity helper so a service's `local.ts` is type-checked against the contract. */
export const defineLocalService = (service: LocalService): LocalService => service
