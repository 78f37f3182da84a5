import { randomUUID } from 'node:crypto'
import type { LocalCloudForTests } from '@app/local-cloud/testing'
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider'

/** A real cognito-local user: signed up, confirmed by an admin, signed in with USER_PASSWORD_AUTH. */
export interface TestUser {
  email: string
  sub: string
  accessToken: string
  idToken: string
}

const password = 'Test-Passw0rd-2026'

export const signUpAndSignIn = async (cloud: LocalCloudForTests): Promise<TestUser> => {
  const { endpoint, userPoolId, clientId } = cloud.endpoints.cognito
  const cognito = new CognitoIdentityProviderClient({
    region: cloud.region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  try {
    const email = `user-${randomUUID()}@example.com`
    const signUp = await cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    )
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }))
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
    return { email, sub: signUp.UserSub, accessToken, idToken }
  } finally {
    cognito.destroy()
  }
}
