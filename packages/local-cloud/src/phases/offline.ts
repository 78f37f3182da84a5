/**
 * Phase 4, serverless-offline: one per HTTP service, started from the plan alone, so it boots
 * (osls, then esbuild bundling every function: the longest part of a start) while the stand-ins
 * start and the resources are created, and is never restarted.
 *
 * That holds because serverless-offline only routes: every value a function sees comes from the
 * deployed function's environment the local cloud resolves once the resources exist, written to
 * the functions file (../lambda/offline-sandbox.ts) that each worker thread reads before its
 * handler loads. The worker threads start at a function's first invocation, which cannot come
 * before the API Gateway in front opens its port (./gateway.ts), after the file is written. What
 * serverless-offline's own process gets is what resolving serverless.yml needs: the endpoints
 * (known from the ports), `local.ts` `env()`, and the compose params as markers that say so.
 */
import { offlineSandboxEnv } from '../lambda/offline-sandbox'
import { startOffline } from '../offline'
import type { Lifetime } from './lifetime'
import { accountId, type CloudPlan, type PlannedService, region, stage } from './plan'

export interface OfflineInputs {
  params: Record<string, string>
  env: Record<string, string>
}

/**
 * A compose param's value for serverless-offline's config resolution: ARN-shaped, naming what it
 * stands for. The functions get the real value (the functions file).
 */
export const deferredParam = (service: string, param: string) =>
  `arn:aws:local:${region}:${accountId}:set-at-invocation/${service}/${param}`

/** What serverless-offline of `service` starts with: `env` is the deployed functions' base environment. */
export const offlineInputs = (
  plan: CloudPlan,
  service: PlannedService,
  env: Record<string, string>,
): OfflineInputs => ({
  params: Object.fromEntries(
    Object.keys(service.compose?.params ?? {}).map((param) => [param, deferredParam(service.name, param)]),
  ),
  env: { ...env, ...offlineSandboxEnv(plan.dataDir) },
})

/** Starts serverless-offline for every HTTP service of the plan; resolves when all answer. */
export const startOfflines = async (
  plan: CloudPlan,
  inputsOf: (service: PlannedService) => OfflineInputs,
  life: Lifetime,
  echo: ((line: string) => void) | undefined,
): Promise<void> => {
  await Promise.all(
    plan.services
      .filter((service) => plan.offline[service.name])
      .map((service) => {
        const endpoint = plan.offline[service.name]!
        return startOffline({
          name: service.name,
          dir: service.dir,
          rootDir: plan.rootDir,
          stage,
          httpPort: endpoint.offlinePort,
          lambdaPort: endpoint.lambdaPort,
          ...(endpoint.websocketPort === undefined ? {} : { websocketPort: endpoint.websocketPort }),
          // Named after the public port, stable across `pnpm dev` starts: the next start finds the
          // external modules serverless-esbuild installed there.
          workFolderKey: String(endpoint.httpPort),
          ...inputsOf(service),
          keepWorkFolder: !plan.ephemeral,
          ...(echo ? { echo } : {}),
          onStarted: (child) => life.add(() => child.stop()),
        })
      }),
  )
}
