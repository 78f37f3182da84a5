import { authEnvSchema, createCognitoVerifier, createTokenAuthorizer } from '@app/runtime/auth'
import { readConfig } from '@app/runtime/config'

/** TOKEN authorizer of every todo API route: real Cognito access-token verification (see runtime/auth). */
export const handler = createTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)))
