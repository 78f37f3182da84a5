/**
 * `pnpm new service <name>` and `pnpm new function <service> <key> --kind http|sqs|stream|step
 * [--path <rest/path>] [--method get|post|put|patch|delete] [--table <LogicalId>]`: the one service
 * shape (docs/service-conventions.md), written by the generators in ./generators.ts.
 * `--no-install` skips the `pnpm install` that links a new service's workspace package.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateFunction, generateService } from './generators'
import { httpMethodSchema, KINDS, type Kind } from './shape'

const USAGE = `usage:
  pnpm new service <name>
  pnpm new function <service> <key> --kind ${KINDS.join('|')} [--path <rest/path>] [--method <get|post|put|patch|delete>] [--table <LogicalId>]`

const rootDir = join(import.meta.dirname, '..', '..')

const main = async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      path: { type: 'string' },
      method: { type: 'string' },
      table: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [what, ...rest] = positionals
  if (values.help || !what) return console.log(USAGE)
  if (what === 'service' && rest.length === 1) {
    const result = await generateService(rootDir, rest[0] as string)
    report(result)
    if (!values['no-install'])
      execFileSync('pnpm', ['install', '--prefer-offline'], { cwd: rootDir, stdio: 'inherit' })
    return
  }
  if (what === 'function' && rest.length === 2) {
    const [service, key] = rest as [string, string]
    if (!KINDS.includes(values.kind as Kind))
      throw new Error(`--kind ${KINDS.join('|')} is required\n${USAGE}`)
    report(
      await generateFunction(rootDir, service, {
        key,
        kind: values.kind as Kind,
        ...(values.path ? { path: values.path.replace(/^\//, '') } : {}),
        ...(values.method ? { method: httpMethodSchema.parse(values.method.toLowerCase()) } : {}),
        ...(values.table ? { table: values.table } : {}),
      }),
    )
    return
  }
  throw new Error(USAGE)
}

const report = ({ files, notes }: { files: readonly string[]; notes: readonly string[] }) => {
  for (const file of files) console.log(`  wrote ${file}`)
  for (const note of notes) console.log(`  next: ${note}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
