/**
 * `pnpm exec tsx packages/template-policy/src/report.ts [--all]`: prints the open findings (cfn-guard
 * and our rules) over the templates already in `.build/templates` (run `pnpm package` first), grouped
 * by rule, so a service engineer sees what to fix without reading a test log. `--all` includes the
 * suppressed ones with their reasons.
 */
import { runGuard } from './guard/run'
import { rulesFor } from './rules'
import { checkTemplateAgainstSpec } from './spec'
import { applySuppressions, readSuppressions } from './suppressions'
import { loadPackaged } from './templates'

const all = process.argv.includes('--all')
const { templates } = loadPackaged()
const suppressions = readSuppressions()
const byPath = new Map(templates.map((entry) => [entry.path, entry]))

const subjects = [
  ...runGuard(templates.map((t) => t.path)).flatMap((report) =>
    report.findings.map((f) => {
      const entry = byPath.get(f.file)
      return {
        rule: f.rule,
        resource: f.resource,
        service: entry?.service ?? '?',
        stage: entry?.stage ?? '?',
        text: f.control ?? '',
      }
    }),
  ),
  ...templates.flatMap(({ service, stage, template }) => [
    ...rulesFor(stage).flatMap((rule) =>
      rule
        .check(template)
        .map(({ resource, message }) => ({ rule: rule.id, resource, service, stage, text: message })),
    ),
    ...checkTemplateAgainstSpec(template).map((text) => ({
      rule: 'cloudformation-spec',
      resource: text,
      service,
      stage,
      text,
    })),
  ]),
]
const { open } = applySuppressions(subjects, suppressions)
const shown = all ? subjects : open
const groups = new Map<string, string[]>()
for (const s of shown) {
  const key = s.rule
  groups.set(key, [
    ...(groups.get(key) ?? []),
    `${s.stage}/${s.service} ${s.resource}${s.text && s.text !== s.resource ? `  ${s.text}` : ''}`,
  ])
}
for (const [rule, lines] of [...groups].sort()) {
  console.log(`\n${rule} (${lines.length})`)
  for (const line of [...new Set(lines)].sort()) console.log(`  ${line}`)
}
console.log(`\n${subjects.length} findings, ${subjects.length - open.length} suppressed, ${open.length} open`)
