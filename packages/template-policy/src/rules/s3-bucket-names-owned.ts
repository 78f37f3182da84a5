import { resourcesOfType } from '@app/cloudformation'
import { isRecord, type Json, props, type Rule, type Violation, violation } from './kit'

/** The pseudo parameters a name refers to: `${AWS::X}` in an Fn::Sub text, `{Ref: AWS::X}` anywhere. */
const pseudoParameters = (value: Json, found = new Set<string>()): Set<string> => {
  if (typeof value === 'string') return found
  if (Array.isArray(value)) for (const item of value) pseudoParameters(item, found)
  else if (isRecord(value)) {
    if (typeof value.Ref === 'string' && value.Ref.startsWith('AWS::')) found.add(value.Ref)
    const sub = value['Fn::Sub']
    const text = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined
    if (typeof text === 'string')
      for (const [, name] of text.matchAll(/\$\{(AWS::\w+)\}/g)) found.add(name as string)
    for (const item of Object.values(value)) pseudoParameters(item, found)
  }
  return found
}

export const s3BucketNamesOwned: Rule = {
  id: 's3-bucket-names-owned',
  beyondGuard:
    'Control Tower has no rule on bucket names. Names are global and first come, first served: a name ' +
    'anyone can predict (service and stage only) can be registered first in another account, and then ' +
    'the deploy fails or, worse, our code writes into their bucket.',
  check: (template) => {
    const violations: Violation[] = []
    for (const [id, bucket] of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const name = props(bucket).BucketName
      // No name: CloudFormation generates `<stack>-<id>-<random>`, which nobody can take first.
      if (name === undefined) continue
      const used = pseudoParameters(name)
      const missing = ['AWS::AccountId', 'AWS::Region'].filter((parameter) => !used.has(parameter))
      if (missing.length)
        violations.push(violation(id, `BucketName ${JSON.stringify(name)} lacks ${missing.join(' and ')}`))
    }
    return violations
  },
}
