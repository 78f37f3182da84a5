/**
 * The demo user of `pnpm dev`: fixed credentials (printed, and written to `.local/endpoints.json`),
 * confirmed, in every group of the pool (so it can also author blog posts). Idempotent.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  ListGroupsCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider'

export interface DemoUser {
  username: string
  password: string
}

// Meets the pools' password policies (12+ characters, upper, lower, digit, symbol).
export const demoUser: DemoUser = { username: 'demo@example.com', password: 'Demo-Passw0rd-2026' }

export const seedDemoUser = async (
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): Promise<DemoUser> => {
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: demoUser.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: demoUser.username },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    )
  } catch (error) {
    if (!(error instanceof UsernameExistsException)) throw error
  }
  // Permanent: the user is CONFIRMED and signs in with USER_PASSWORD_AUTH straight away.
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: demoUser.username,
      Password: demoUser.password,
      Permanent: true,
    }),
  )
  const { Groups = [] } = await client.send(new ListGroupsCommand({ UserPoolId: userPoolId }))
  for (const group of Groups) {
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: userPoolId,
        Username: demoUser.username,
        GroupName: group.GroupName,
      }),
    )
  }
  return demoUser
}
