import { describe, expect, it } from 'vitest'
import { RULES, rulesFor } from './index'

describe('the rule set', () => {
  it('has unique ids and says on every rule what cfn-guard does not cover', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length)
    for (const r of RULES) expect(r.beyondGuard.length, r.id).toBeGreaterThan(30)
  })

  it('keeps production-only rules out of other stages', () => {
    expect(rulesFor('dev').map((r) => r.id)).not.toContain('prod-live-alias')
    expect(rulesFor('prod').map((r) => r.id)).toContain('prod-live-alias')
  })
})
