import { describe, expect, it } from 'vitest'
import { apigatewayCacheKeys } from './apigateway-cache-keys'
import { t } from './fixtures'

const api = {
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
  Todos: {
    Type: 'AWS::ApiGateway::Resource',
    Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'todos' },
  },
  TodosId: {
    Type: 'AWS::ApiGateway::Resource',
    Properties: { ParentId: { Ref: 'Todos' }, PathPart: '{id}' },
  },
  Auth: {
    Type: 'AWS::ApiGateway::Authorizer',
    Properties: { IdentitySource: 'method.request.header.Authorization' },
  },
}
const method = (httpMethod: string, cacheKeys?: string[]) => ({
  Type: 'AWS::ApiGateway::Method',
  Properties: {
    HttpMethod: httpMethod,
    ResourceId: { Ref: 'TodosId' },
    AuthorizationType: 'CUSTOM',
    AuthorizerId: { Ref: 'Auth' },
    Integration: { Type: 'AWS_PROXY', ...(cacheKeys ? { CacheKeyParameters: cacheKeys } : {}) },
  },
})
const stage = (settings: unknown[], cacheCluster = true) => ({
  Type: 'AWS::ApiGateway::Deployment',
  Properties: { StageDescription: { CacheClusterEnabled: cacheCluster, MethodSettings: settings } },
})
const off = { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: false }
const getOnly = { ResourcePath: '/~1todos~1{id}', HttpMethod: 'GET', CachingEnabled: true }
const keyed = ['method.request.header.Authorization', 'method.request.path.id']

describe('apigateway-cache-keys', () => {
  it('accepts a cached GET keyed by its path parameter and the caller, with writes uncached', () => {
    const template = t({
      ...api,
      Get: method('GET', keyed),
      Patch: method('PATCH'),
      D: stage([off, getOnly]),
    })
    expect(apigatewayCacheKeys.check(template)).toEqual([])
  })

  it('ignores keys where the stage has no cache cluster, or caching is off for the method', () => {
    expect(apigatewayCacheKeys.check(t({ ...api, Get: method('GET'), D: stage([getOnly], false) }))).toEqual(
      [],
    )
    expect(apigatewayCacheKeys.check(t({ ...api, Get: method('GET'), D: stage([off]) }))).toEqual([])
  })

  it('flags a cached GET without the path id or the caller in its key (the /* GET setting before)', () => {
    const before = { ResourcePath: '/*', HttpMethod: 'GET', CachingEnabled: true }
    const template = t({
      ...api,
      Get: method('GET', ['method.request.header.Authorization']),
      D: stage([off, before]),
    })
    expect(apigatewayCacheKeys.check(template)).toEqual([
      {
        resource: 'Get',
        message: 'GET /todos/{id} (cached by D): cache key lacks path parameter method.request.path.id',
      },
    ])
    const anonymous = t({ ...api, Get: method('GET', ['method.request.path.id']), D: stage([off, getOnly]) })
    expect(apigatewayCacheKeys.check(anonymous)).toEqual([
      {
        resource: 'Get',
        message:
          'GET /todos/{id} (cached by D): cache key lacks the caller (method.request.header.Authorization)',
      },
    ])
  })

  it('flags a cached write: the most specific setting decides', () => {
    const all = { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }
    const template = t({ ...api, Patch: method('PATCH', keyed), Get: method('GET', keyed), D: stage([all]) })
    expect(apigatewayCacheKeys.check(template)).toEqual([
      {
        resource: 'Patch',
        message: 'PATCH /todos/{id} (cached by D): a write is cached; writes must reach the function',
      },
    ])
    const patchOff = { ResourcePath: '/~1todos~1{id}', HttpMethod: 'PATCH', CachingEnabled: false }
    expect(
      apigatewayCacheKeys.check(t({ ...api, Patch: method('PATCH'), D: stage([all, patchOff]) })),
    ).toEqual([])
  })
})
