/**
 * Runs AWS CloudFormation Guard (the binary shipped in `@cdklabs/cdk-validator-cfnguard`) with the
 * AWS Control Tower proactive rules over packaged templates, and flattens its nested JSON report into
 * one finding per (rule, resource).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { arch, platform } from 'node:os'
import { dirname, join } from 'node:path'

const packageDir = dirname(
  createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json'),
)

/** Same platform mapping as the package's own validator (it calls every Linux "ubuntu"). */
export const guardBinary = (): string => {
  const os = platform() === 'linux' ? 'ubuntu' : platform() === 'darwin' ? 'macos' : undefined
  const cpu = arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? 'aarch64' : undefined
  if (!os || !cpu) throw new Error(`cfn-guard ships no binary for ${platform()}/${arch()}`)
  return join(packageDir, 'bin', os, cpu, 'cfn-guard')
}

export const CONTROL_TOWER_RULES = join(packageDir, 'rules', 'control-tower', 'cfn-guard')

export const guardVersion = (): string =>
  execFileSync(guardBinary(), ['--version'], { encoding: 'utf8' }).trim()

const walkRules = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walkRules(join(dir, entry.name))
      : entry.name.endsWith('.guard')
        ? [join(dir, entry.name)]
        : [],
  )

export const controlTowerRuleFiles = (): string[] => walkRules(CONTROL_TOWER_RULES)

export interface GuardFinding {
  /** The template file, as passed to cfn-guard. */
  readonly file: string
  /** Guard rule name, e.g. `s3_bucket_versioning_enabled_check`. */
  readonly rule: string
  /** Control Tower control id from the rule's message, e.g. `CT.S3.PR.2`. */
  readonly control: string | undefined
  /** Logical id of the offending resource (`(template)` when the rule names none). */
  readonly resource: string
  readonly message: string
}

export interface GuardFileReport {
  readonly file: string
  readonly compliant: readonly string[]
  readonly notApplicable: readonly string[]
  readonly findings: readonly GuardFinding[]
}

interface RawReport {
  name: string
  compliant?: string[]
  not_applicable?: string[]
  not_compliant?: { Rule?: { name: string } }[]
}

/** Every `/Resources/<id>` path and custom message anywhere under a failed rule's check tree. */
const collect = (node: unknown, resources: Set<string>, messages: Set<string>): void => {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, resources, messages)
    return
  }
  if (!node || typeof node !== 'object') return
  for (const [key, value] of Object.entries(node)) {
    if (key === 'path' && typeof value === 'string') {
      const id = /^\/Resources\/([^/]+)/.exec(value)?.[1]
      if (id) resources.add(id)
    } else if (key === 'custom_message' && typeof value === 'string' && value.trim()) {
      messages.add(value.trim())
    } else {
      collect(value, resources, messages)
    }
  }
}

const parseReport = (raw: RawReport): GuardFileReport => ({
  file: raw.name,
  compliant: raw.compliant ?? [],
  notApplicable: raw.not_applicable ?? [],
  findings: (raw.not_compliant ?? []).flatMap((entry) => {
    const rule = entry.Rule?.name ?? 'unknown'
    const resources = new Set<string>()
    const messages = new Set<string>()
    collect(entry, resources, messages)
    const message = [...messages].join('\n')
    const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(message)?.[1]
    const ids = resources.size ? [...resources] : ['(template)']
    return ids.map((resource) => ({ file: raw.name, rule, control, resource, message }))
  }),
})

/** Validates templates against rule files/dirs (Control Tower by default); one report per template. */
export const runGuard = (templates: readonly string[], rules: readonly string[] = [CONTROL_TOWER_RULES]) => {
  const args = ['validate', '--output-format', 'json', '--show-summary', 'none', '--structured']
  for (const rule of rules) args.push('--rules', rule)
  for (const template of templates) args.push('--data', template)
  let stdout: string
  try {
    stdout = execFileSync(guardBinary(), args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
  } catch (error) {
    // cfn-guard exits 19 when a rule fails: that is a report, not an error.
    const failed = error as { status?: number; stdout?: string; stderr?: string }
    if (failed.status !== 19 || !failed.stdout) {
      throw new Error(`cfn-guard failed (${failed.status}): ${failed.stderr ?? error}`)
    }
    stdout = failed.stdout
  }
  return (JSON.parse(stdout) as RawReport[]).map(parseReport)
}
