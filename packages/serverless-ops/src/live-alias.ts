// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
import { functionBaseId, INVOKER_RESOURCE_TYPES } from '@app/cloudformation'
import {
  assumableBy,
  dependsOnOf,
  isRecord,
  logicalName,
  type Resource,
  type Resources,
  referencedId,
} from './cfn'
import type { OpsConfig } from './config'

export const ALIAS = 'live'

/** Replaces every `Fn::GetAtt [<fnId>, Arn]` (and `Ref <fnId>`) inside a value with `Ref <aliasId>`. */
const pointAtAlias = (value: unknown, fnId: string, aliasId: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => pointAtAlias(item, fnId, aliasId))
  if (!isRecord(value)) return value
  const getAtt = value['Fn::GetAtt']
  if (Array.isArray(getAtt) && getAtt[0] === fnId && getAtt[1] === 'Arn') return { Ref: aliasId }
  if (getAtt === `${fnId}.Arn`) return { Ref: aliasId }
  if (value.Ref === fnId && Object.keys(value).length === 1) return { Ref: aliasId }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, pointAtAlias(item, fnId, aliasId)]),
  )
}

/**
 * Production: a `live` alias on every function's published version, with every invoker pointed at
 * it; provisioned concurrency on the functions listed; and, with `deployment`, gradual traffic
 * shifting through CloudFormation's native `CodeDeployLambdaAliasUpdate` update policy, rolled back
 * automatically on the function's error alarm.
 */
export const addLiveAliases = (
  resources: Resources,
  functions: [string, Resource][],
  stack: string,
  errorAlarms: Record<string, string>,
  options: OpsConfig,
  functionNames: string[],
  logicalIdOf: (name: string) => string,
): void => {
  const provisioned = options.provisionedConcurrency
  const deployment = options.deployment
  const gradual = typeof deployment === 'string' && deployment !== '' && deployment !== 'AllAtOnce'
  const byLogicalId = Object.fromEntries(functionNames.map((name) => [logicalIdOf(name), name]))
  if (gradual) {
    resources.OpsCodeDeployApplication = {
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ComputePlatform: 'Lambda', ApplicationName: stack },
    }
    resources.OpsCodeDeployRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumableBy('codedeploy.amazonaws.com'),
        // AWS's managed policy for CodeDeploy on Lambda: shift alias weights, read alarms, no hooks.
        ManagedPolicyArns: [
          {
            'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited',
          },
        ],
      },
    }
  }
  for (const [fnId] of functions) {
    const versionId = Object.keys(resources).find(
      (id) =>
        resources[id]?.Type === 'AWS::Lambda::Version' &&
        referencedId(resources[id]?.Properties?.FunctionName) === fnId,
    )
    if (!versionId) continue
    const base = functionBaseId(fnId)
    const aliasId = `${base}LiveAlias`
    const count = Number(provisioned[byLogicalId[fnId] ?? ''] ?? 0)
    const alias: Resource = {
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: fnId },
        FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
        Name: ALIAS,
        ...(count > 0 ? { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: count } } : {}),
      },
    }
    if (gradual) {
      const groupId = `${base}DeploymentGroup`
      resources[groupId] = {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        Properties: {
          ApplicationName: { Ref: 'OpsCodeDeployApplication' },
          DeploymentGroupName: logicalName(`${stack}-${base}`).slice(0, 100),
          ServiceRoleArn: { 'Fn::GetAtt': ['OpsCodeDeployRole', 'Arn'] },
          DeploymentConfigName: `CodeDeployDefault.Lambda${deployment}`,
          DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
          AlarmConfiguration: {
            Enabled: true,
            Alarms: [{ Name: resources[errorAlarms[fnId] ?? '']?.Properties?.AlarmName }],
          },
          AutoRollbackConfiguration: {
            Enabled: true,
            Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
          },
        },
      }
      alias.UpdatePolicy = {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'OpsCodeDeployApplication' },
          DeploymentGroupName: { Ref: groupId },
        },
      }
    }
    resources[aliasId] = alias
    for (const [id, resource] of Object.entries(resources)) {
      if (INVOKER_RESOURCE_TYPES.has(resource.Type))
        resources[id] = {
          ...resource,
          Properties: pointAtAlias(resource.Properties, fnId, aliasId) as Record<string, unknown>,
        }
      // Async failure handling is configured per qualifier: it must follow the invocations to the alias.
      if (
        resource.Type === 'AWS::Lambda::EventInvokeConfig' &&
        resource.Properties &&
        referencedId(resource.Properties.FunctionName) === fnId
      ) {
        resource.Properties.Qualifier = ALIAS
        resource.DependsOn = [...new Set([...dependsOnOf(resource), aliasId])]
      }
    }
  }
}
