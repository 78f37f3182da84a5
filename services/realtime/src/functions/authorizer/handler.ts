import { authEnvSchema, createCognitoVerifier, createQueryTokenAuthorizer } from '@app/runtime/auth'
import { readConfig } from '@app/runtime/config'

/** `$connect`'s REQUEST authorizer: Cognito access tokens of the todo-api user pool, from `?token=`. */
export const handler = createQueryTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)))
