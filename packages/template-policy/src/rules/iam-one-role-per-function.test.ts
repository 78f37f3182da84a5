import { describe, expect, it } from 'vitest'
import { fn, role, t } from './fixtures'
import { iamOneRolePerFunction } from './iam-one-role-per-function'

describe('iam-one-role-per-function', () => {
  it('accepts a role per function and names the role two functions share', () => {
    const ok = t({
      ARole: role([]),
      BRole: role([]),
      ALambdaFunction: fn('ARole'),
      BLambdaFunction: fn('BRole'),
    })
    expect(iamOneRolePerFunction.check(ok)).toEqual([])
    const shared = t({ ARole: role([]), ALambdaFunction: fn('ARole'), BLambdaFunction: fn('ARole') })
    expect(iamOneRolePerFunction.check(shared)).toEqual([
      { resource: 'ARole', message: 'shared by ALambdaFunction, BLambdaFunction' },
    ])
  })

  it('flags a function whose role is not a role of the stack', () => {
    expect(iamOneRolePerFunction.check(t({ FLambdaFunction: fn('Elsewhere') }))).toEqual([
      { resource: 'FLambdaFunction', message: 'role is not an IAM role of this stack' },
    ])
  })
})
