/**
 * `pnpm bench`: runs every benchmark suite in the repo, one after another (never in parallel: the
 * machines are small and noisy, and every suite measures against a baseline run side by side).
 * A suite is a `bench/index.ts` in a package or service; it prints its own table.
 * `pnpm bench <name>` runs only the suites whose folder name contains <name>.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { basename, join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const filter = process.argv[2]
const suites = ['packages', 'services']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .filter((dir) => existsSync(join(dir, 'bench', 'index.ts')))
  // The folder's own name: an absolute path may contain the filter anywhere (a worktree named after a package).
  .filter((dir) => !filter || basename(dir).includes(filter))

let failed = 0
for (const dir of suites) {
  console.log(`\n=== ${relative(root, dir)} ===`)
  const run = spawnSync('pnpm', ['exec', 'tsx', join(dir, 'bench', 'index.ts')], {
    cwd: dir,
    stdio: 'inherit',
  })
  if (run.status !== 0) failed++
}
if (!suites.length) console.log('no benchmark suites found')
process.exit(failed ? 1 : 0)
