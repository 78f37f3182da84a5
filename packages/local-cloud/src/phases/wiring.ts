/** Phase 6, wiring: each service's `local.ts` `wire` (stream pollers, S3 notifications, state machines), compose order. */
import type { LocalCloud } from '../service'
import type { Lifetime } from './lifetime'
import type { PlannedService } from './plan'

export const wireServices = async (
  services: readonly PlannedService[],
  cloud: LocalCloud,
  life: Lifetime,
): Promise<void> => {
  for (const service of services) {
    if (!service.local.wire) continue
    life.add(await service.local.wire(cloud))
    cloud.log(`${service.name}: wired`)
  }
}
