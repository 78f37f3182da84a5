import { asList, iamStatements, type Rule, violation } from './kit'

/**
 * Actions AWS only authorises on `Resource: "*"` (no resource-level permissions in the Service
 * Authorization Reference), each with the reason a reviewer needs.
 */
export const STAR_RESOURCE_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'X-Ray trace upload has no resource types: AWS requires "*"',
  'xray:PutTelemetryRecords': 'X-Ray telemetry upload has no resource types: AWS requires "*"',
  'xray:GetSamplingRules': 'X-Ray sampling rules are read account-wide: AWS requires "*"',
  'xray:GetSamplingTargets': 'X-Ray sampling targets are read account-wide: AWS requires "*"',
  'ec2:CreateNetworkInterface':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:DescribeNetworkInterfaces': 'Describe* calls have no resource-level permissions',
  'ec2:DeleteNetworkInterface':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:AssignPrivateIpAddresses':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'ec2:UnassignPrivateIpAddresses':
    'Lambda in a VPC: ENI actions are authorised on "*" (Lambda VPC execution role)',
  'logs:CreateLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:GetLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:UpdateLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:DeleteLogDelivery': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:ListLogDeliveries': 'CloudWatch Logs vended delivery (Step Functions logging) requires "*"',
  'logs:PutResourcePolicy': 'CloudWatch Logs resource policies are account-level: AWS requires "*"',
  'logs:DescribeResourcePolicies': 'CloudWatch Logs resource policies are account-level: AWS requires "*"',
  'logs:DescribeLogGroups': 'Describe* calls have no resource-level permissions',
  'cloudwatch:PutMetricData':
    'CloudWatch metrics have no resource types (scope with the cloudwatch:namespace condition)',
}

export const iamStarResourceOnlyWhereRequired: Rule = {
  id: 'iam-star-resource-only-where-required',
  beyondGuard:
    'CT.IAM.PR.1/PR.2 reject only `Action: "*"` on `Resource: "*"`; this rule rejects any action on "*" ' +
    'that AWS can scope to a resource.',
  check: (template) =>
    iamStatements(template).flatMap(({ resource, where, statement }) => {
      if (statement.Effect !== 'Allow') return []
      if (statement.NotResource) return [violation(resource, `${where}: Allow with NotResource`)]
      if (!asList(statement.Resource).includes('*')) return []
      return asList(statement.Action)
        .filter((action) => !STAR_RESOURCE_ACTIONS[action])
        .map((action) =>
          violation(
            resource,
            `${where}: ${action} on Resource "*" (AWS supports resource-level permissions for it)`,
          ),
        )
    }),
}
