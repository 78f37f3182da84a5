import type { Resources } from './cfn'
import type { OpsConfig } from './config'

/**
 * Tracing and (when configured and not already set) stage-level throttling on REST stages, in the
 * template: the framework applies `tracing.apiGateway` by API calls after deploy, invisible to
 * template checks.
 */
export const applyRestStageSettings = (resources: Resources, throttle: OpsConfig['apiThrottle']): void => {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Deployment' || !resource.Properties) continue
    const stage = { ...(resource.Properties.StageDescription ?? {}) }
    stage.TracingEnabled = true
    stage.MetricsEnabled = stage.MetricsEnabled ?? true
    if (throttle && stage.ThrottlingRateLimit === undefined) {
      stage.ThrottlingRateLimit = throttle.rateLimit
      stage.ThrottlingBurstLimit = throttle.burstLimit
    }
    const settings: Record<string, unknown>[] = stage.MethodSettings ?? []
    if (throttle && !settings.some((s) => s.ResourcePath === '/*' && s.HttpMethod === '*')) {
      settings.push({
        ResourcePath: '/*',
        HttpMethod: '*',
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
        MetricsEnabled: true,
      })
    }
    if (settings.length) stage.MethodSettings = settings
    resource.Properties.StageDescription = stage
  }
}
