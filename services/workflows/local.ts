/**
 * How `pnpm dev` and the integration tests run the workflows service (contract:
 * packages/local-cloud/src/service.ts). The jobs table and data bucket come from serverless.yml
 * like every resource; here the state machines start: the definitions of the resolved
 * serverless.yml (`sls print`, cached) run in the local Step Functions host with our handlers
 * in-process, and serverless-offline's start/status functions reach it through
 * `AWS_ENDPOINT_URL_SFN` (the cloud's `stepFunctions` endpoint), with the same SFN adapter as AWS.
 */
import { join } from 'node:path'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { readCompose, resolveComposeParams } from '@app/local-cloud/compose'
import { printService, substituteParams } from '@app/local-cloud/template/print'
import {
  modelFromPrinted,
  type PrintedConfig,
  type ServiceModel,
  startStepFunctionsHost,
} from '@app/local-cloud/wiring/step-functions'

const serviceDir = import.meta.dirname

/** The resolved serverless.yml with this run's compose params (uploads bucket, user pool). */
export const localModel = async (
  cloud: Pick<LocalCloud, 'rootDir' | 'stage' | 'region' | 'outputs'>,
): Promise<ServiceModel> => {
  const compose = readCompose(cloud.rootDir).find((service) => service.name === 'workflows')
  const params = compose ? resolveComposeParams(compose, cloud.outputs) : {}
  const { printed } = await printService({
    serviceDir,
    rootDir: cloud.rootDir,
    stage: cloud.stage,
    paramNames: Object.keys(compose?.params ?? {}),
    cacheDir: join(cloud.rootDir, '.local', 'cache'),
  })
  return modelFromPrinted(substituteParams(printed, params) as unknown as PrintedConfig, cloud.region)
}

export default defineLocalService({
  name: 'workflows',
  offline: { httpPort: 3003, lambdaPort: 3103 },
  async wire(cloud) {
    const host = await startStepFunctionsHost({
      model: await localModel(cloud),
      serviceDir,
      region: cloud.region,
      env: cloud.functionEnv,
      port: cloud.stepFunctionsPort,
      log: (line) => cloud.log(`workflows: ${line}`),
    })
    return () => host.stop()
  },
  endpoints: (cloud) => ({
    workflowsApi: `${cloud.offline.workflows?.url ?? 'http://127.0.0.1:3003'}/${cloud.stage}/workflows`,
    stepFunctions: cloud.endpoints.stepFunctions,
  }),
})
