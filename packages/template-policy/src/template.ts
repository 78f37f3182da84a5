/** The parts of a CloudFormation template the checks read. */
export interface CfnResource {
  readonly Type: string
  readonly Properties?: Record<string, unknown>
  readonly Metadata?: Record<string, unknown>
  readonly DependsOn?: string | string[]
  readonly Condition?: string
  readonly UpdatePolicy?: Record<string, unknown>
  readonly DeletionPolicy?: string
  readonly UpdateReplacePolicy?: string
}

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion?: string
  readonly Description?: string
  readonly Resources: Record<string, CfnResource>
  readonly Outputs?: Record<string, { Value: unknown; Description?: string; Export?: unknown }>
  readonly Conditions?: Record<string, unknown>
}

/** Resources of one type, as [logicalId, resource] pairs. */
export const resourcesOfType = (template: CfnTemplate, type: string): [string, CfnResource][] =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
