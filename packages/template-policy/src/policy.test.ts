/**
 * The template policy over every packaged template (dev and prod) of every compose service that
 * exists: AWS cfn-guard with the Control Tower rules, our own rules, and the CloudFormation spec.
 * Findings are allowed only through `suppressions.yml`, where each carries its reason.
 */
import { describe, expect, it } from 'vitest'
import { controlTowerRuleFiles, type GuardFinding, guardVersion, runGuard } from './guard/run'
import { rulesFor } from './rules'
import { nextRuns, schedulesIn } from './schedules'
import { SCHEDULE_MEANINGS, SCHEDULE_REFERENCE_TIME } from './schedules/meanings'
import { checkTemplateAgainstSpec } from './spec'
import { applySuppressions, readSuppressions, type Subject, type Suppression } from './suppressions'
import { ensurePackaged, loadPackaged } from './templates'

// Packages dev and prod once per run (cached by input hash, under a lock shared with services' tests).
const started = performance.now()
await ensurePackaged()
console.info(`template-policy: templates ready in ${((performance.now() - started) / 1000).toFixed(1)} s`)
const { templates, missing, reports: packaging } = loadPackaged()
const suppressions = readSuppressions()
const used = new Set<Suppression>()
const byPath = new Map(templates.map((entry) => [entry.path, entry]))

console.info(
  `template-policy: checking ${templates.length} templates (${templates.map((t) => `${t.stage}/${t.service}`).join(', ')})` +
    (missing.length
      ? `; NOT COVERED (no serverless.yml or not packageable yet): ${missing.map((m) => `${m.stage}/${m.service}`).join(', ')}`
      : ''),
)

describe('coverage', () => {
  it('packages every service that has a serverless.yml, offline, for dev and prod', () => {
    const failed = packaging.flatMap((report) =>
      report.services.flatMap((s) =>
        s.status === 'failed' || s.status === 'blocked' ? [`${report.stage} ${s.name}: ${s.reason}`] : [],
      ),
    )
    expect(failed).toEqual([])
  })

  it('has at least one packaged service for every stage', () => {
    for (const stage of ['dev', 'prod'])
      expect(templates.filter((t) => t.stage === stage).length).toBeGreaterThan(0)
  })
})

describe('cfn-guard (AWS Control Tower proactive rules)', () => {
  const reports = runGuard(templates.map((entry) => entry.path))
  const findings = reports.flatMap((report) =>
    report.findings.map((finding): GuardFinding & Subject => {
      const entry = byPath.get(finding.file)
      return { ...finding, service: entry?.service ?? '?', stage: entry?.stage ?? '?' }
    }),
  )
  const { open, used: hits } = applySuppressions(findings, suppressions)
  for (const hit of hits) used.add(hit)
  console.info(
    `cfn-guard ${guardVersion()}: ${controlTowerRuleFiles().length} rule files over ${reports.length} templates; ` +
      `${findings.length} findings, ${findings.length - open.length} suppressed with reasons, ${open.length} open`,
  )

  it('ran over every packaged template', () => {
    expect(reports.map((report) => report.file).sort()).toEqual(templates.map((entry) => entry.path).sort())
  })

  it('has no unsuppressed findings', () => {
    expect(open.map((f) => `${f.stage}/${f.service} ${f.rule} (${f.control}) ${f.resource}`)).toEqual([])
  })
})

describe.each(templates)('$stage/$service', ({ service, stage, template }) => {
  it.each(rulesFor(stage))('$id', (rule) => {
    const subjects = rule.check(template).map(({ resource, message }) => ({
      rule: rule.id,
      resource,
      service,
      stage,
      text: message,
    }))
    const { open, used: hits } = applySuppressions(subjects, suppressions)
    for (const hit of hits) used.add(hit)
    expect(open.map((subject) => `${subject.resource}: ${subject.text}`)).toEqual([])
  })

  it('matches the CloudFormation resource specification', () => {
    expect(checkTemplateAgainstSpec(template)).toEqual([])
  })
})

describe('schedules in the packaged templates', () => {
  const found = templates.flatMap(({ service, stage, template }) =>
    schedulesIn(template).map((schedule) => ({ key: `${service}/${schedule.resource}`, stage, ...schedule })),
  )
  console.info(
    `schedules: ${found.length ? found.map((s) => `${s.stage}/${s.key} ${s.expression}`).join(', ') : 'none in the packaged templates'}`,
  )

  it.each(found)('$stage/$key runs in UTC and means what its declared meaning says', (schedule) => {
    const declared = SCHEDULE_MEANINGS[schedule.key]
    expect(declared, `declare ${schedule.key} in src/schedules/meanings.ts`).toBeDefined()
    expect(schedule.timezone).toBe('UTC')
    expect(schedule.expression).toBe(declared?.expression)
    expect(nextRuns(schedule.expression, SCHEDULE_REFERENCE_TIME, declared?.next.length ?? 1)).toEqual(
      declared?.next,
    )
  })

  it('declares no schedule that is not deployed', () => {
    const keys = new Set(found.map((s) => s.key))
    expect(Object.keys(SCHEDULE_MEANINGS).filter((key) => !keys.has(key))).toEqual([])
  })
})

describe('suppressions.yml', () => {
  it('gives every suppression a rule, resources and a real reason', () => {
    for (const suppression of suppressions) {
      expect(suppression.rule, JSON.stringify(suppression)).toMatch(/\S/)
      expect(suppression.resources?.length, JSON.stringify(suppression)).toBeGreaterThan(0)
      expect(suppression.reason?.trim().length ?? 0, `${suppression.rule}: reason`).toBeGreaterThanOrEqual(30)
    }
  })

  // Runs last in this file: every other suite above has recorded the suppressions it used.
  it('has no stale entries (each matches a finding in a packaged service)', () => {
    const present = new Set(templates.map((t) => t.service))
    const stale = suppressions.filter(
      (s) => !used.has(s) && (!s.services || s.services.some((name) => name === '*' || present.has(name))),
    )
    expect(stale.map((s) => `${s.rule} ${s.resources.join(',')}`)).toEqual([])
  })
})
