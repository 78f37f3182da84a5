import { describe, expect, it } from 'vitest'
import { role, t } from './fixtures'
import { iamStarResourceOnlyWhereRequired } from './iam-star-resource-only-where-required'

describe('iam-star-resource-only-where-required', () => {
  it('accepts "*" for actions without resource-level permissions', () => {
    const ok = t({ R: role([{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }]) })
    expect(iamStarResourceOnlyWhereRequired.check(ok)).toEqual([])
  })

  it('flags "*" for an action AWS can scope, and NotResource', () => {
    const bad = t({
      R: role([
        { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: ['*'] },
        { Effect: 'Allow', Action: ['s3:GetObject'], NotResource: 'arn:aws:s3:::b/k' },
      ]),
    })
    expect(iamStarResourceOnlyWhereRequired.check(bad)).toEqual([
      {
        resource: 'R',
        message: 'R/p: dynamodb:GetItem on Resource "*" (AWS supports resource-level permissions for it)',
      },
      { resource: 'R', message: 'R/p: Allow with NotResource' },
    ])
  })
})
