import { describe, expect, it } from 'vitest'
import { applySuppressions, readSuppressions, type Suppression } from './suppressions'

const suppression: Suppression = {
  rule: 'r',
  resources: ['*LogGroup'],
  stages: ['dev'],
  contains: 'branch A',
  reason: 'because',
}
const subject = { rule: 'r', resource: 'FooLogGroup', service: 's', stage: 'dev', text: 'x branch A' }

describe('applySuppressions', () => {
  it('matches rule, resource glob, stage and text, and records which entries were used', () => {
    const { open, used } = applySuppressions([subject], [suppression])
    expect(open).toEqual([])
    expect([...used]).toEqual([suppression])
  })

  it('leaves a finding open when any key differs', () => {
    for (const other of [
      { ...subject, rule: 'q' },
      { ...subject, resource: 'FooFunction' },
      { ...subject, stage: 'prod' },
      { ...subject, text: 'x branch B' },
    ]) {
      expect(applySuppressions([other], [suppression]).open).toEqual([other])
    }
  })

  it('reads the reviewed suppressions file', () => {
    expect(readSuppressions().length).toBeGreaterThan(0)
  })
})
