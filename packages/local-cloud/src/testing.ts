/**
 * The test harness: how integration and end-to-end tests reach the local cloud.
 *
 * - Name a test `*.integration.test.ts` or `*.e2e.test.ts`. When a run selects such files, the
 *   root vitest `globalSetup` (./test-setup.ts) starts ONE local cloud for the whole run, with
 *   `startLocalCloud({ ports: 'auto', fresh: true })`: free ports, in-memory DynamoDB, temp dirs,
 *   serverless-offline for HTTP services. Plain `*.test.ts` files never start it.
 * - In the test, `const cloud = localCloud()` gives its endpoints, function environment and compose
 *   outputs (`inject('localCloud')` under the hood). To run a handler in-process against the
 *   stand-ins, call `useFunctionEnv()` first, then import the handler dynamically (handlers read
 *   their config at module scope).
 * - Tests share the cloud with every other file of the run: use unique keys (e.g. a random user or
 *   id per test), never wipe tables.
 */
import { randomUUID } from 'node:crypto'
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GroupExistsException,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { inject } from 'vitest'
import type { LocalEndpoints, OfflineEndpoint } from './service'
import type { PrintedService } from './template/print'

/** What tests get (plain data: it crosses from vitest's main process to the test workers). */
export interface LocalCloudForTests {
  endpoints: LocalEndpoints
  functionEnv: Record<string, string>
  outputs: Record<string, Record<string, string>>
  offline: Record<string, OfflineEndpoint>
  region: string
  stage: string
  /** The services the cloud runs (compose order) and their resolved serverless.yml, as the runner used them. */
  services: { name: string; dir: string; config?: PrintedService }[]
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the root globalSetup when the run selects integration/e2e files; null otherwise. */
    localCloud: LocalCloudForTests | null
  }
}

/** The run's local cloud; throws (naming the convention) in files that do not get one. */
export const localCloud = (): LocalCloudForTests => {
  const cloud = inject('localCloud')
  if (!cloud) {
    throw new Error(
      'No local cloud in this run: only *.integration.test.ts and *.e2e.test.ts files get one ' +
        '(started by the root vitest globalSetup, packages/local-cloud/src/test-setup.ts).',
    )
  }
  return cloud
}

/**
 * Puts the cloud's function environment (endpoints, dummy credentials, Cognito issuer/clients)
 * into `process.env` of this test worker, as serverless-offline does for handlers; `extra` adds
 * the function's own settings (table names...). Import handlers after calling it.
 */
export const useFunctionEnv = (extra: Record<string, string> = {}): LocalCloudForTests => {
  const cloud = localCloud()
  Object.assign(process.env, cloud.functionEnv, extra)
  return cloud
}

/** A real cognito-local user: signed up, confirmed by an admin, signed in with USER_PASSWORD_AUTH. */
export interface TestUser {
  email: string
  /** For a test that signs in itself, e.g. through a browser page. */
  password: string
  sub: string
  accessToken: string
  idToken: string
}

const password = 'Test-Passw0rd-2026'

/** What signing a user in needs of a cloud (a test's `localCloud()` or a bench's running cloud). */
type WithCognito = Pick<LocalCloudForTests, 'region' | 'endpoints'>

const cognitoOf = (cloud: WithCognito) =>
  new CognitoIdentityProviderClient({
    region: cloud.region,
    endpoint: cloud.endpoints.cognito.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })

/** Creates a pool group the templates do not declare (e.g. a hostile name), if it is not there yet. */
export const createPoolGroup = async (cloud: LocalCloudForTests, groupName: string): Promise<void> => {
  const cognito = cognitoOf(cloud)
  try {
    await cognito.send(
      new CreateGroupCommand({ UserPoolId: cloud.endpoints.cognito.userPoolId, GroupName: groupName }),
    )
  } catch (error) {
    if (!(error instanceof GroupExistsException) && (error as Error).name !== 'GroupExistsException')
      throw error
  } finally {
    cognito.destroy()
  }
}

export const signUpAndSignIn = async (
  cloud: WithCognito,
  emailPrefix = 'user',
  /** Pool groups to join before signing in, so the access token carries them (`cognito:groups`). */
  groups: readonly string[] = [],
): Promise<TestUser> => {
  const { userPoolId, clientId } = cloud.endpoints.cognito
  const cognito = cognitoOf(cloud)
  try {
    const email = `${emailPrefix}-${randomUUID()}@example.com`
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    )
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }))
    for (const group of groups)
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: group }),
      )
    const auth = await cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    )
    const accessToken = auth.AuthenticationResult?.AccessToken
    const idToken = auth.AuthenticationResult?.IdToken
    if (!accessToken || !idToken || !signUp.UserSub) throw new Error('cognito-local returned no tokens')
    return { email, password, sub: signUp.UserSub, accessToken, idToken }
  } finally {
    cognito.destroy()
  }
}
