import { describe, expect, it } from 'vitest'
import { role, t } from './fixtures'
import { iamNoWildcardActions } from './iam-no-wildcard-actions'

describe('iam-no-wildcard-actions', () => {
  it('accepts exact actions', () => {
    const ok = t({ R: role([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/k' }]) })
    expect(iamNoWildcardActions.check(ok)).toEqual([])
  })

  it('flags partial wildcards and leaves `*`, `service:*` and NotAction to CT.IAM.PR.3/PR.5', () => {
    const bad = t({
      R: role([
        { Effect: 'Allow', Action: ['s3:Get*', 'dynamodb:*Item', 's3:*', '*'], Resource: 'arn:aws:s3:::b/k' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:Put*', Resource: '*' },
      ]),
    })
    expect(iamNoWildcardActions.check(bad)).toEqual([
      { resource: 'R', message: 'R/p: wildcard action "s3:Get*"' },
      { resource: 'R', message: 'R/p: wildcard action "dynamodb:*Item"' },
    ])
  })
})
