'use strict'
/**
 * Stage settings the Serverless Framework cannot express for REST APIs: stage-level throttling and
 * the optional API Gateway response cache. Serverless names the Deployment resource with a timestamp,
 * so `resources.extensions` cannot reach it; this hook adds `StageDescription` to it after the
 * framework compiled the API.
 *
 * With the cache on, only GET methods are cached, each by its own MethodSettings entry (path + GET),
 * and each keyed by the caller's Authorization header, every path parameter of its resource path
 * (`/todos/{id}` by `id`: without it one id's todo answers for every id), the list query parameters
 * and `If-None-Match`. Writes (POST, PATCH, DELETE) stay under the `/*` `*` entry, uncached: they
 * always reach the function. API Gateway cannot drop one key from the server side, so a read after a
 * write may be stale for up to the cache TTL (README, "Read-heavy").
 */

/** The REST path of an AWS::ApiGateway::Resource (`/todos/{id}`), walking ParentId to the root. */
const pathOf = (resources, resourceId) => {
  const parts = []
  let ref = resourceId
  while (ref && typeof ref.Ref === 'string') {
    const resource = resources[ref.Ref]
    if (!resource) break
    parts.unshift(resource.Properties.PathPart)
    ref = resource.Properties.ParentId
  }
  return `/${parts.join('/')}`
}

/** MethodSettings' encoding of a resource path: `/todos/{id}` → `/~1todos~1{id}`. */
const encodePath = (path) => (path === '/' ? '/' : `/${path.replace(/\//g, '~1')}`)

const QUERY_KEYS = ['cursor', 'limit', 'status', 'prefix']

class StageSettings {
  constructor(serverless) {
    this.serverless = serverless
    this.hooks = { 'before:package:finalize': () => this.apply() }
  }

  apply() {
    const settings = this.serverless.service.custom?.stageSettings ?? {}
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources
    const cacheEnabled = settings.cacheEnabled === true || settings.cacheEnabled === 'true'
    const cached = []
    if (cacheEnabled) {
      for (const resource of Object.values(resources)) {
        if (resource.Type !== 'AWS::ApiGateway::Method' || resource.Properties.HttpMethod !== 'GET') continue
        const path = pathOf(resources, resource.Properties.ResourceId)
        const pathKeys = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map(
          ([, name]) => `method.request.path.${name}`,
        )
        const keys = [
          'method.request.header.Authorization',
          'method.request.header.If-None-Match',
          ...pathKeys,
          ...QUERY_KEYS.map((name) => `method.request.querystring.${name}`),
        ]
        resource.Properties.RequestParameters = {
          ...resource.Properties.RequestParameters,
          ...Object.fromEntries(keys.map((key) => [key, pathKeys.includes(key)])),
        }
        resource.Properties.Integration.CacheKeyParameters = keys
        cached.push(path)
      }
    }
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ApiGateway::Deployment') continue
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
          ...[...new Set(cached)].sort().map((path) => ({
            ResourcePath: encodePath(path),
            HttpMethod: 'GET',
            CachingEnabled: true,
            CacheTtlInSeconds: Number(settings.cacheTtlInSeconds),
            CacheDataEncrypted: true,
            // Clients may not bypass the cache with `Cache-Control: max-age=0` unless authorised.
            RequireAuthorizationForCacheControl: true,
            UnauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
            ThrottlingRateLimit: Number(settings.throttlingRateLimit),
            ThrottlingBurstLimit: Number(settings.throttlingBurstLimit),
            MetricsEnabled: true,
          })),
        ],
      }
    }
  }
}

module.exports = StageSettings
