import { asList, iamStatements, type Rule, violation } from './kit'

/** The wildcards CT.IAM.PR.3/PR.5 already reject (their WILDCARD_ACTION_PATTERN): `*` and `service:*`. */
const GUARD_WILDCARD = /^[\w]*[:]*\*$/

export const iamNoWildcardActions: Rule = {
  id: 'iam-no-wildcard-actions',
  beyondGuard:
    'CT.IAM.PR.3/PR.5 reject `*`, `service:*` and Allow + NotAction only; this rule rejects the partial ' +
    'wildcards they let through (`s3:Get*`, `dynamodb:*Item`), which grant actions nobody reviewed.',
  check: (template) =>
    iamStatements(template).flatMap(({ resource, where, statement }) =>
      statement.Effect !== 'Allow'
        ? []
        : asList(statement.Action)
            .filter(
              (action) =>
                typeof action !== 'string' || (action.includes('*') && !GUARD_WILDCARD.test(action)),
            )
            .map((action) => violation(resource, `${where}: wildcard action ${JSON.stringify(action)}`)),
    ),
}
