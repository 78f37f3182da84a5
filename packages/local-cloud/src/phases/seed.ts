/** Phase 7, seed: the demo user in the foundation pool, then each service's `local.ts` `seed`, compose order. */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { type DemoUser, seedDemoUser } from '../demo-user'
import type { LocalCloud } from '../service'
import type { PlannedService } from './plan'

export const seedServices = async (
  services: readonly PlannedService[],
  cloud: LocalCloud,
  cognito: CognitoIdentityProviderClient,
): Promise<DemoUser | undefined> => {
  const { userPoolId } = cloud.endpoints.cognito
  const demoUser = userPoolId ? await seedDemoUser(cognito, userPoolId) : undefined
  for (const service of services) {
    if (!service.local.seed) continue
    await service.local.seed(cloud)
    cloud.log(`${service.name}: seeded`)
  }
  return demoUser
}
