/**
 * What every policy rule is made of: its data shape (a rule is an id, the reason it is ours rather than
 * a Control Tower guard rule, and a check returning `{resource, message}` violations) and the template
 * readers the rules share.
 */
import { type CfnResource, type CfnTemplate, isRecord, referencedId } from '@app/cloudformation'

/** One thing to fix: the logical id it is on, and what is wrong with it. */
export interface Violation {
  readonly resource: string
  readonly message: string
}

export interface Rule {
  /** The id suppressions.yml and test names use. */
  readonly id: string
  /**
   * Why we keep this rule beside cfn-guard's Control Tower rules: what they do not check, or cannot
   * resolve (Fn::If branches, Fn::Join ARNs). A rule that only repeated one of them would be removed.
   */
  readonly beyondGuard: string
  /** Stages the rule applies to; every stage when absent. */
  readonly stages?: readonly string[]
  readonly check: (template: CfnTemplate) => Violation[]
}

export type Json = unknown
// The shared model's readers, under the names the rules already use.
export { isRecord, referencedId } from '@app/cloudformation'
export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]
export const props = (resource: CfnResource) => resource.Properties ?? {}
export const truthy = (value: Json) => value === true || value === 'true'
export const violation = (resource: string, message: string): Violation => ({ resource, message })

export interface Statement {
  Effect?: string
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: Json
  NotResource?: Json
  Condition?: Json
}

/** Every statement of every identity policy in the template, with the resource and policy it is in. */
export const iamStatements = (
  template: CfnTemplate,
): { resource: string; where: string; statement: Statement }[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const documents: [string, Json][] = []
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asList(props(resource).Policies as Json[] | undefined)) {
        if (isRecord(policy)) documents.push([`${id}/${String(policy.PolicyName)}`, policy.PolicyDocument])
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push([id, props(resource).PolicyDocument])
    }
    return documents.flatMap(([where, document]) =>
      isRecord(document)
        ? asList(document.Statement as Statement[]).map((statement) => ({ resource: id, where, statement }))
        : [],
    )
  })

export interface RestStage {
  id: string
  tracing: boolean
  throttled: boolean
}

/**
 * REST API stages, whether declared as AWS::ApiGateway::Stage or inside a Deployment's StageDescription
 * (where the framework puts them, and where Control Tower's API Gateway rules do not look).
 */
export const restApiStages = (template: CfnTemplate): RestStage[] => {
  const throttledSettings = (settings: Json) =>
    asList(settings as Json[]).some(
      (setting) =>
        isRecord(setting) &&
        setting.ThrottlingRateLimit !== undefined &&
        setting.ThrottlingBurstLimit !== undefined &&
        (setting.ResourcePath === '/*' || setting.ResourcePath === undefined) &&
        (setting.HttpMethod === '*' || setting.HttpMethod === undefined),
    )
  const stages: RestStage[] = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Stage')
    .map(([id, stage]) => ({
      id,
      tracing: truthy(props(stage).TracingEnabled),
      throttled: throttledSettings(props(stage).MethodSettings),
    }))
  for (const [id, deployment] of Object.entries(template.Resources)) {
    if (deployment.Type !== 'AWS::ApiGateway::Deployment') continue
    const description = props(deployment).StageDescription
    if (!isRecord(description)) continue
    stages.push({
      id,
      tracing: truthy(description.TracingEnabled),
      throttled:
        (description.ThrottlingRateLimit !== undefined && description.ThrottlingBurstLimit !== undefined) ||
        throttledSettings(description.MethodSettings),
    })
  }
  return stages
}

/** CloudFront distributions with their DistributionConfig (undefined when it is missing). */
export const distributions = (template: CfnTemplate) =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudFront::Distribution')
    .map(([id, distribution]) => {
      const config = props(distribution).DistributionConfig
      return [id, isRecord(config) ? config : undefined] as const
    })

export interface RestMethod {
  id: string
  httpMethod: string
  /** `/todos/{id}`, from the method's resource and its parents. */
  path: string
  authorizationType: string
  /** The request parameters that name the caller (the authorizer's identity sources); empty without one. */
  callerKeys: string[]
  cacheKeys: string[]
}

/** Every AWS::ApiGateway::Method with its resource path, caller identity sources and cache key. */
export const restMethods = (template: CfnTemplate): RestMethod[] => {
  const resources = template.Resources
  const pathOf = (ref: Json): string => {
    const parts: string[] = []
    for (let id = referencedId(ref); id && resources[id]?.Type === 'AWS::ApiGateway::Resource'; ) {
      const resource = props(resources[id] as CfnResource)
      parts.unshift(String(resource.PathPart))
      // The root is `Fn::GetAtt [RestApi, RootResourceId]`: not a Resource, so the walk ends there.
      id = referencedId(resource.ParentId)
    }
    return `/${parts.join('/')}`
  }
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Method')
    .map(([id, method]) => {
      const p = props(method)
      const authorizer = resources[referencedId(p.AuthorizerId) ?? '']
      const sources = authorizer ? String(props(authorizer).IdentitySource ?? '') : ''
      const authorizationType = String(p.AuthorizationType ?? 'NONE')
      const integration = isRecord(p.Integration) ? p.Integration : {}
      return {
        id,
        httpMethod: String(p.HttpMethod),
        path: pathOf(p.ResourceId),
        authorizationType,
        callerKeys: sources
          .split(',')
          .map((source) => source.trim())
          .filter((source) => source.startsWith('method.request.')),
        cacheKeys: asList(integration.CacheKeyParameters as string[] | undefined),
      }
    })
}

/** A REST stage's MethodSettings with its cache switch, from AWS::ApiGateway::Stage or a Deployment. */
export const restCacheStages = (
  template: CfnTemplate,
): { id: string; cacheCluster: boolean; settings: Record<string, Json>[] }[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const p = props(resource)
    const stage =
      resource.Type === 'AWS::ApiGateway::Stage'
        ? p
        : resource.Type === 'AWS::ApiGateway::Deployment' && isRecord(p.StageDescription)
          ? p.StageDescription
          : undefined
    if (!stage) return []
    return [
      {
        id,
        cacheCluster: truthy(stage.CacheClusterEnabled),
        settings: asList(stage.MethodSettings as Json[]).filter(isRecord),
      },
    ]
  })
