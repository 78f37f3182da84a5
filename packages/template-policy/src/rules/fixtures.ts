/** Minimal template pieces for the rule tests: each test shows a compliant template and the smallest change that breaks it. */
import type { CfnTemplate } from '@app/cloudformation'

export const role = (statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }] },
})
export const fn = (roleId: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] }, TracingConfig: { Mode: 'Active' }, ...extra },
})
export const t = (resources: Record<string, unknown>) => ({ Resources: resources }) as CfnTemplate
