import {
  isRecord,
  type Json,
  type RestMethod,
  type Rule,
  restCacheStages,
  restMethods,
  truthy,
  type Violation,
  violation,
} from './kit'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** MethodSettings' encoding of a resource path: `/todos/{id}` → `/~1todos~1{id}`. */
const encodePath = (path: string) => (path === '/' ? '/' : `/${path.replace(/\//g, '~1')}`)

/**
 * Whether a stage caches a method: the most specific MethodSettings entry that matches it decides
 * (path + method, then path + `*`, then `/*` + method, then `/*` + `*`), as API Gateway applies them.
 */
const caches = (settings: Record<string, Json>[], method: RestMethod): boolean => {
  const path = encodePath(method.path)
  const matching = (resourcePath: string, httpMethod: string) =>
    settings.find(
      (setting) =>
        (setting.ResourcePath ?? '/*') === resourcePath &&
        (setting.HttpMethod ?? '*') === httpMethod &&
        setting.CachingEnabled !== undefined,
    )
  const decisive =
    matching(path, method.httpMethod) ??
    matching(path, '*') ??
    matching('/*', method.httpMethod) ??
    matching('/*', '*')
  return isRecord(decisive) && truthy(decisive.CachingEnabled)
}

export const apigatewayCacheKeys: Rule = {
  id: 'apigateway-cache-keys',
  beyondGuard:
    'Control Tower only asks for cache encryption; nothing checks what a cached response is keyed by, ' +
    'so a cache key without the path id or the caller serves one user’s data for another request.',
  check: (template) => {
    const violations: Violation[] = []
    const stages = restCacheStages(template).filter((stage) => stage.cacheCluster)
    if (!stages.length) return violations
    for (const method of restMethods(template)) {
      const stage = stages.find((candidate) => caches(candidate.settings, method))
      if (!stage) continue
      const where = `${method.httpMethod} ${method.path} (cached by ${stage.id})`
      if (!READS.has(method.httpMethod)) {
        violations.push(violation(method.id, `${where}: a write is cached; writes must reach the function`))
        continue
      }
      const params = [...method.path.matchAll(/\{([^}+]+)\+?\}/g)].map(
        ([, name]) => `method.request.path.${name}`,
      )
      for (const key of params.filter((key) => !method.cacheKeys.includes(key)))
        violations.push(violation(method.id, `${where}: cache key lacks path parameter ${key}`))
      if (method.authorizationType !== 'NONE') {
        const callers = method.callerKeys
        if (!callers.length) {
          violations.push(
            violation(method.id, `${where}: authorised, but no identity source names the caller for the key`),
          )
        }
        for (const key of callers.filter((key) => !method.cacheKeys.includes(key)))
          violations.push(violation(method.id, `${where}: cache key lacks the caller (${key})`))
      }
    }
    return violations
  },
}
