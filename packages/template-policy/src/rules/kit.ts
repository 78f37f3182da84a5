/**
 * What every policy rule is made of: its data shape (a rule is an id, the reason it is ours rather than
 * a Control Tower guard rule, and a check returning `{resource, message}` violations) and the template
 * readers the rules share.
 */
import type { CfnResource, CfnTemplate } from '../template'

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
export const isRecord = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]
export const props = (resource: CfnResource) => resource.Properties ?? {}
export const truthy = (value: Json) => value === true || value === 'true'
export const violation = (resource: string, message: string): Violation => ({ resource, message })

/** Logical id a value points at through `Ref` or `Fn::GetAtt`, if it is such a reference. */
export const referencedId = (value: Json): string | undefined => {
  if (!isRecord(value)) return undefined
  if (typeof value.Ref === 'string') return value.Ref
  const getAtt = value['Fn::GetAtt']
  if (typeof getAtt === 'string') return getAtt.split('.')[0]
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0]
  return undefined
}

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
