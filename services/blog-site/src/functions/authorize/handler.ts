import { authEnvSchema, createCognitoVerifier, createTokenAuthorizer } from '@app/runtime/auth'
import { readConfig } from '@app/runtime/config'

/** TOKEN authorizer of the write routes: verifies the Cognito access token (signature and claims). */
export const handler = createTokenAuthorizer(createCognitoVerifier(readConfig(authEnvSchema)))
