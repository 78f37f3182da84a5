import { logGroupIdOfFunction, resourcesOfType } from '@app/cloudformation'
import { isRecord, props, type Rule, referencedId, violation } from './kit'

export const logsRetention: Rule = {
  id: 'logs-retention',
  beyondGuard:
    'CT.CLOUDWATCH.PR.2 wants 365 days and is suppressed on dev stages (14 days on purpose), so this is ' +
    'what catches a log group without any retention there; and no Control Tower rule sees a function ' +
    'whose log group is not in the stack (Lambda would create one that never expires).',
  check: (template) => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup')
    const violations = groups
      .filter(([, group]) => props(group).RetentionInDays === undefined)
      .map(([id]) => violation(id, 'no RetentionInDays'))
    const groupIds = new Set(groups.map(([id]) => id))
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const logging = props(fn).LoggingConfig
      const explicit = isRecord(logging) ? referencedId(logging.LogGroup) : undefined
      const conventional = logGroupIdOfFunction(id)
      if (!(explicit && groupIds.has(explicit)) && !groupIds.has(conventional)) {
        violations.push(
          violation(
            id,
            'its log group is not declared in the stack (Lambda would create one that never expires)',
          ),
        )
      }
    }
    return violations
  },
}
