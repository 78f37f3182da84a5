import { authEnvSchema, createCognitoVerifier, createTokenAuthorizer } from '@app/runtime/auth'
import { readConfig } from '@app/runtime/config'

/** The API's TOKEN authorizer: Cognito access tokens of the todo-api user pool. */
export const handler = createTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)))
