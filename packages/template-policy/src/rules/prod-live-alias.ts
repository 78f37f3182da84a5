import { INVOKER_RESOURCE_TYPES, resourcesOfType } from '@app/cloudformation'
import { props, type Rule, referencedId, type Violation, violation } from './kit'

/** Production: a published version and a `live` alias per function, and every invoker on the alias. */
export const prodLiveAlias: Rule = {
  id: 'prod-live-alias',
  beyondGuard: 'Our deployment model (serverless-ops live alias + CodeDeploy), unknown to Control Tower.',
  stages: ['prod'],
  check: (template) => {
    const violations: Violation[] = []
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id)
    const aliased = new Set<string>()
    for (const [id, alias] of resourcesOfType(template, 'AWS::Lambda::Alias')) {
      const p = props(alias)
      const fn = referencedId(p.FunctionName)
      const version = referencedId(p.FunctionVersion)
      if (p.Name === 'live' && fn) aliased.add(fn)
      if (!version || template.Resources[version]?.Type !== 'AWS::Lambda::Version') {
        violations.push(violation(id, 'alias not on a published version'))
      }
    }
    for (const fn of functions) if (!aliased.has(fn)) violations.push(violation(fn, 'no live alias'))
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (!INVOKER_RESOURCE_TYPES.has(resource.Type)) continue
      const text = JSON.stringify(resource.Properties ?? {})
      for (const fn of functions) {
        if (text.includes(`{"Fn::GetAtt":["${fn}","Arn"]}`) || text.includes(`{"Ref":"${fn}"}`)) {
          violations.push(violation(id, `invokes ${fn} directly instead of its live alias`))
        }
      }
    }
    return violations
  },
}
