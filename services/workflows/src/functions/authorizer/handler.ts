import { authEnvSchema, createCognitoVerifier, createTokenAuthorizer } from '@app/runtime/auth'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSqsClient, usageKeyOption, usageKeysEnvSchema } from '@app/runtime/usage-keys'

const usage = readConfig(usageKeysEnvSchema)

/**
 * The API's TOKEN authorizer: Cognito access tokens of the todo-api user pool (see runtime/auth),
 * naming the caller's API key for the per-user usage plan (runtime/usage-keys).
 */
export const handler = createTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)), {
  usageKey: usageKeyOption(usage, { db: createDocumentClient(usage), sqs: createSqsClient(usage) }),
})
