import { readConfig } from '@app/runtime'
import { authEnvSchema, createCognitoVerifier, createTokenAuthorizer } from '@app/runtime/auth'

/** The API's TOKEN authorizer: Cognito access tokens of the todo-api user pool. */
export const handler = createTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)))
