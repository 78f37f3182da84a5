/**
 * `pnpm package [--stage dev|prod|<name>] [--region r] [--force]`: packages every service of
 * serverless-compose.yml for the stage, offline and without AWS credentials, and writes the
 * CloudFormation templates to `.build/templates/<stage>/<service>.json` (see
 * packages/template-policy/src/build/package.ts for how upstream outputs are stubbed).
 * `--stage` may be repeated (`--stage dev --stage prod`). Exits non-zero if any service fails.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { packageStage } from '../packages/template-policy/src/build'
import { withPackagingLock } from '../packages/template-policy/src/templates'

const { values } = parseArgs({
  options: {
    stage: { type: 'string', multiple: true },
    region: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
})

const rootDir = join(import.meta.dirname, '..')
const stages = values.stage?.length ? values.stage : ['dev']
const started = performance.now()
// Several stages run side by side, one `sls package` each at a time (2 cores); one stage uses them all.
const reports = await withPackagingLock(() =>
  Promise.all(
    stages.map((stage) =>
      packageStage({
        rootDir,
        stage,
        force: values.force,
        ...(values.region ? { region: values.region } : {}),
        ...(stages.length > 1 ? { concurrency: 1 } : {}),
        log: (line) => console.log(line),
      }),
    ),
  ),
)
let failed = false
for (const report of reports) {
  const packaged = report.services.filter((s) => s.status === 'packaged' || s.status === 'cached').length
  console.log(
    `${report.stage}: ${packaged}/${report.services.length} services in ${(report.ms / 1000).toFixed(1)} s`,
  )
  if (report.services.some((s) => s.status === 'failed' || s.status === 'blocked')) failed = true
}
console.log(`templates in .build/templates/<stage>/ (${((performance.now() - started) / 1000).toFixed(1)} s)`)
process.exit(failed ? 1 : 0)
