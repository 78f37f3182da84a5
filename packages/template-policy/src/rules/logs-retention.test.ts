import { describe, expect, it } from 'vitest'
import { fn, role, t } from './fixtures'
import { logsRetention } from './logs-retention'

describe('logs-retention', () => {
  it('log groups have retention and every function has its own', () => {
    const ok = t({
      FRole: role([]),
      FLambdaFunction: fn('FRole'),
      FLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } },
    })
    expect(logsRetention.check(ok)).toEqual([])
    const bad = t({
      FRole: role([]),
      FLambdaFunction: fn('FRole'),
      X: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    })
    expect(logsRetention.check(bad)).toEqual([
      { resource: 'X', message: 'no RetentionInDays' },
      {
        resource: 'FLambdaFunction',
        message: 'its log group is not declared in the stack (Lambda would create one that never expires)',
      },
    ])
  })
})
