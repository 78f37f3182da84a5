import type { StudioConfig } from './config'

/**
 * Sign-in straight from the browser to the user pool (Cognito's JSON API; locally cognito-local):
 * the password goes to Cognito only, never to our API, which sees nothing but the access token.
 * USER_PASSWORD_AUTH over TLS, as the app client allows (todo-api's UserPoolClient); SRP would
 * keep the password from Cognito too, at the price of an SRP library in the page.
 */
export class SignInError extends Error {}

interface InitiateAuthAnswer {
  AuthenticationResult?: { AccessToken?: string; ExpiresIn?: number }
  ChallengeName?: string
  __type?: string
  message?: string
}

export const signIn = async (config: StudioConfig, username: string, password: string): Promise<string> => {
  let response: Response
  try {
    response = await fetch(config.cognitoEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: config.userPoolClientId,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    })
  } catch {
    throw new SignInError('We could not reach the sign-in service. Check your connection and try again.')
  }
  const answer = (await response.json().catch(() => ({}))) as InitiateAuthAnswer
  const token = answer.AuthenticationResult?.AccessToken
  if (response.ok && token) return token
  if (answer.ChallengeName)
    throw new SignInError(
      `This account must finish setting up first (${answer.ChallengeName}): sign in once in the app.`,
    )
  // Cognito answers NotAuthorizedException for a wrong password and (PreventUserExistenceErrors) an unknown user alike.
  if (answer.__type?.includes('NotAuthorized') || answer.__type?.includes('UserNotFound'))
    throw new SignInError('Wrong email or password.')
  throw new SignInError('Signing in failed. Please try again in a moment.')
}
