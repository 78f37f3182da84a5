/**
 * Packages every compose service for dev and prod once per test run (cached by input hash), prints
 * what the policy tests cover. A service that fails to package fails the "packages offline" test in
 * policy.test.ts (not the whole run), so the other services are still checked.
 */
import { ensurePackaged } from './templates'

export default async function setup() {
  const started = performance.now()
  const reports = await ensurePackaged()
  const lines: string[] = []
  for (const report of reports) {
    for (const result of report.services) {
      if ('ms' in result) {
        lines.push(`  ${report.stage} ${result.name}: ${result.status} (${(result.ms / 1000).toFixed(1)} s)`)
      } else {
        lines.push(
          `  ${report.stage} ${result.name}: NOT COVERED, ${result.status}: ${result.reason.split('\n')[0]}`,
        )
      }
    }
  }
  console.log(
    `template-policy: packaged templates in ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join('\n')}`,
  )
}
