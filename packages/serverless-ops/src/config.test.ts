import { describe, expect, it } from 'vitest'
import { parseOpsConfig } from './config'

describe('custom.ops', () => {
  it('defaults every setting when absent', () => {
    expect(parseOpsConfig(undefined)).toMatchObject({
      alarms: true,
      live: false,
      dashboard: true,
      deployment: '',
    })
  })

  it('accepts params as osls hands them over (strings for booleans and numbers, intrinsics for ARNs)', () => {
    expect(
      parseOpsConfig({
        live: 'true',
        alarms: 'false',
        apiThrottle: { rateLimit: '50', burstLimit: 100 },
        provisionedConcurrency: { listTodos: '2' },
        alarmTopicArn: { Ref: 'AlarmTopic' },
      }),
    ).toMatchObject({
      live: true,
      alarms: false,
      apiThrottle: { rateLimit: 50, burstLimit: 100 },
      provisionedConcurrency: { listTodos: 2 },
      alarmTopicArn: { Ref: 'AlarmTopic' },
    })
  })

  it('names a misspelt key instead of ignoring it', () => {
    expect(() => parseOpsConfig({ alarmEmial: 'ops@example.com' })).toThrow(
      'custom.ops.alarmEmial: unknown setting',
    )
    expect(() => parseOpsConfig({ apiThrottle: { rateLimit: 1, burstLimt: 2 } })).toThrow(
      /custom\.ops\.apiThrottle\.burstLimt: unknown setting/,
    )
  })

  it('names a value of the wrong kind', () => {
    expect(() => parseOpsConfig({ durationAlarmRatio: 'most' })).toThrow(/custom\.ops\.durationAlarmRatio/)
  })
})
