import { resourcesOfType } from '@app/cloudformation'
import { props, type Rule, referencedId, type Violation, violation } from './kit'

export const iamOneRolePerFunction: Rule = {
  id: 'iam-one-role-per-function',
  beyondGuard: 'Control Tower has no rule on how roles are shared between functions.',
  check: (template) => {
    const byRole = new Map<string, string[]>()
    const violations: Violation[] = []
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const role = referencedId(props(fn).Role)
      if (!role || template.Resources[role]?.Type !== 'AWS::IAM::Role') {
        violations.push(violation(id, 'role is not an IAM role of this stack'))
        continue
      }
      byRole.set(role, [...(byRole.get(role) ?? []), id])
    }
    for (const [role, users] of byRole) {
      if (users.length > 1) violations.push(violation(role, `shared by ${users.join(', ')}`))
    }
    return violations
  },
}
