'use strict'
/**
 * Stage settings the Serverless Framework cannot express for REST APIs: stage-level throttling and
 * the optional API Gateway response cache. Serverless names the Deployment resource with a timestamp,
 * so `resources.extensions` cannot reach it; this hook adds `StageDescription` to it after the
 * framework compiled the API. With the cache on, every cached GET is keyed by the Authorization
 * header and its query string, so one user's cached response is never served to another.
 */
class StageSettings {
  constructor(serverless) {
    this.serverless = serverless
    this.hooks = { 'before:package:finalize': () => this.apply() }
  }

  apply() {
    const settings = this.serverless.service.custom?.stageSettings ?? {}
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources
    const cacheEnabled = settings.cacheEnabled === true || settings.cacheEnabled === 'true'
    for (const resource of Object.values(resources)) {
      if (resource.Type === 'AWS::ApiGateway::Deployment') {
        resource.Properties.StageDescription = {
          ThrottlingRateLimit: Number(settings.throttlingRateLimit),
          ThrottlingBurstLimit: Number(settings.throttlingBurstLimit),
          CacheClusterEnabled: cacheEnabled,
          ...(cacheEnabled ? { CacheClusterSize: String(settings.cacheSize) } : {}),
          MethodSettings: [
            {
              ResourcePath: '/*',
              HttpMethod: '*',
              ThrottlingRateLimit: Number(settings.throttlingRateLimit),
              ThrottlingBurstLimit: Number(settings.throttlingBurstLimit),
              CachingEnabled: false,
              MetricsEnabled: true,
            },
            ...(cacheEnabled
              ? [
                  {
                    ResourcePath: '/*',
                    HttpMethod: 'GET',
                    CachingEnabled: true,
                    CacheTtlInSeconds: Number(settings.cacheTtlInSeconds),
                    CacheDataEncrypted: true,
                    // Clients may not bypass the cache with `Cache-Control: max-age=0` unless authorised.
                    RequireAuthorizationForCacheControl: true,
                    UnauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
                  },
                ]
              : []),
          ],
        }
      }
      if (
        cacheEnabled &&
        resource.Type === 'AWS::ApiGateway::Method' &&
        resource.Properties.HttpMethod === 'GET'
      ) {
        const keys = ['method.request.header.Authorization', 'method.request.header.If-None-Match']
        for (const name of ['cursor', 'limit', 'status', 'prefix'])
          keys.push(`method.request.querystring.${name}`)
        resource.Properties.RequestParameters = {
          ...resource.Properties.RequestParameters,
          ...Object.fromEntries(keys.map((key) => [key, false])),
        }
        resource.Properties.Integration.CacheKeyParameters = keys
      }
    }
  }
}

module.exports = StageSettings
