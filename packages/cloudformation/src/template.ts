/**
 * The parts of a CloudFormation template the repo reads and writes (what `sls package` emits, what
 * serverless-ops rewrites, what the policy rules and the local cloud read). Written by hand: AWS
 * publishes no TypeScript types for the template format, and the resource specification
 * (`@aws-cdk/aws-service-spec`, used by template-policy's spec check) types properties per resource,
 * which none of our readers needs. `P` lets a writer that builds properties (serverless-ops) keep a
 * looser property type.
 */
export interface CfnResource<P = Record<string, unknown>> {
  Type: string
  Properties?: P
  Metadata?: Record<string, unknown>
  DependsOn?: string | string[]
  Condition?: string
  UpdatePolicy?: Record<string, unknown>
  DeletionPolicy?: string
  UpdateReplacePolicy?: string
}

export interface CfnOutput {
  Value: unknown
  Description?: string
  Export?: unknown
  Condition?: string
}

export interface CfnParameter {
  Type: string
  Default?: unknown
  [key: string]: unknown
}

export interface CfnTemplate<P = Record<string, unknown>> {
  AWSTemplateFormatVersion?: string
  Description?: string
  Parameters?: Record<string, CfnParameter>
  Mappings?: Record<string, Record<string, Record<string, unknown>>>
  Conditions?: Record<string, unknown>
  Resources: Record<string, CfnResource<P>>
  Outputs?: Record<string, CfnOutput>
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Resources of one type, as [logicalId, resource] pairs. */
export const resourcesOfType = <P>(
  template: Pick<CfnTemplate<P>, 'Resources'>,
  type: string,
): [string, CfnResource<P>][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
