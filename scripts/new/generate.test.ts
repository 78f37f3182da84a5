/**
 * The generator end to end, in a temporary copy of the repo (temp-repo.ts): `pnpm new service` and a
 * function of every kind, then the generated code's own tests, lint (Biome + dependency-cruiser),
 * typecheck, `pnpm package` and the template policy over the packaged templates.
 *
 * Slow by nature (about 2 minutes on a shared 2-core machine, most of it `sls package` and tsc). What
 * it needs: the repo's node_modules installed and git. It first packages the source repo's dev
 * templates (`ensurePackaged`, under the lock the template-policy test shares, so a `pnpm test` run
 * packages once) and seeds the copy with them: only what the generator changed is packaged again.
 * The step function goes into the new service too, as STEP_KIT_MODULE is a package (`@app/runtime/step`);
 * were it a service's own file again, into workflows (which is then packaged again, ~1 min more).
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CfnTemplate } from '../../packages/cloudformation/src'
import { runGuard } from '../../packages/template-policy/src/guard/run'
import { rulesFor } from '../../packages/template-policy/src/rules'
import { checkTemplateAgainstSpec } from '../../packages/template-policy/src/spec'
import { applySuppressions, readSuppressions } from '../../packages/template-policy/src/suppressions'
import { ensurePackaged, ROOT_DIR } from '../../packages/template-policy/src/templates'
import { FACTORY_FILE, type Generated, generateFunction, generateService } from './generators'
import { type FunctionRequest, STEP_KIT_MODULE } from './shape'
import { copyRepo, linkNewWorkspace } from './temp-repo'

const SERVICE = 'order-desk'
const STEP_SERVICE = STEP_KIT_MODULE.startsWith('.') ? 'workflows' : SERVICE
const FUNCTIONS: readonly (FunctionRequest & { service: string })[] = [
  { service: SERVICE, key: 'createOrder', kind: 'http', path: 'orders', method: 'post' },
  { service: SERVICE, key: 'fulfilOrder', kind: 'sqs' },
  { service: SERVICE, key: 'onOrderChange', kind: 'stream', table: 'OrdersTable' },
  { service: STEP_SERVICE, key: 'tagOrder', kind: 'step' },
]

interface Run {
  code: number | null
  output: string
}

/** A command in the copy, with no trace of this vitest run in its environment. */
const run = (dir: string, command: string, args: string[]) =>
  new Promise<Run>((resolve) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(VITEST|TEST$|NODE_ENV$|POWERTOOLS_)/.test(name)),
    )
    const started = performance.now()
    execFile(
      command,
      args,
      { cwd: dir, env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        timings.push(`${basename(command)} ${args[0]} ${((performance.now() - started) / 1000).toFixed(0)} s`)
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` })
      },
    )
  })

const tail = (result: Run) => result.output.split('\n').slice(-60).join('\n')

/** How long each step took, printed at the end (the test's figure). */
const timings: string[] = []
let dir: string
const generated: Generated[] = []
/** The checks over the generated code, all started as soon as it is written (2 shared cores: overlap wins). */
let checks: Record<'tests' | 'biome' | 'cruise' | 'typecheck' | 'packaging', Promise<Run>>
const functionDirs = FUNCTIONS.map(({ service, key }) => `services/${service}/src/functions/${key}`)

beforeAll(async () => {
  let started = performance.now()
  await ensurePackaged(['dev'])
  timings.push(`source templates ${((performance.now() - started) / 1000).toFixed(0)} s`)
  started = performance.now()
  dir = join(mkdtempSync(join(tmpdir(), 'generator-')), 'repo')
  copyRepo(ROOT_DIR, dir)
  cpSync(join(ROOT_DIR, '.build', 'templates', 'dev'), join(dir, '.build', 'templates', 'dev'), {
    recursive: true,
  })
  generated.push(await generateService(dir, SERVICE))
  linkNewWorkspace(dir, `services/${SERVICE}`)
  for (const { service, ...request } of FUNCTIONS)
    generated.push(await generateFunction(dir, service, request))
  // Only the generated code and what it imports: the repo's own `tsc -b` takes its include globs
  // (services/*/src/**, services/*/*.ts), which the service generator checks still hold.
  writeFileSync(
    join(dir, 'tsconfig.generated.json'),
    JSON.stringify({
      extends: './tsconfig.base.json',
      include: [`services/${SERVICE}/**/*.ts`, ...functionDirs.map((folder) => `${folder}/*.ts`)],
      exclude: ['**/node_modules'],
    }),
  )
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name)
  const linted = [`services/${SERVICE}`, ...functionDirs, `services/${STEP_SERVICE}/src/config.ts`]
  checks = {
    packaging: run(dir, 'pnpm', ['package']),
    typecheck: run(dir, bin('tsc'), ['-p', 'tsconfig.generated.json']),
    tests: run(dir, bin('vitest'), ['run', `services/${SERVICE}`, ...functionDirs]),
    biome: run(dir, bin('biome'), ['check', ...linted]),
    cruise: run(dir, bin('depcruise'), [...linted, '--config', '.dependency-cruiser.cjs']),
  }
}, 600_000)

afterAll(async () => {
  const [packaged] = await Promise.allSettled(checks ? [checks.packaging, ...Object.values(checks)] : [])
  const services = packaged?.status === 'fulfilled' ? packaged.value.output.match(/^dev [\w-]+: \w+/gm) : null
  console.info(`generator: ${timings.join(', ')}; ${services?.join(', ') ?? 'no packaging report'}`)
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe('pnpm new service / pnpm new function', () => {
  it('writes the one shape: service files, compose entry, a folder per function with its factory and test', () => {
    for (const file of [
      'package.json',
      'serverless.yml',
      'local.ts',
      'vitest.config.ts',
      'README.md',
      'src/config.ts',
    ])
      expect(existsSync(join(dir, 'services', SERVICE, file)), file).toBe(true)
    for (const [index, { kind }] of FUNCTIONS.entries()) {
      for (const file of ['handler.ts', FACTORY_FILE[kind], 'handler.test.ts'])
        expect(
          existsSync(join(dir, functionDirs[index] as string, file)),
          `${functionDirs[index]}/${file}`,
        ).toBe(true)
    }
    // POST /orders validates its JSON body.
    expect(readFileSync(join(dir, functionDirs[0] as string, 'route.ts'), 'utf8')).toMatch(
      /schemas: \{ body: createOrderBody \}/,
    )
    expect(readFileSync(join(dir, 'serverless-compose.yml'), 'utf8')).toMatch(
      new RegExp(`\\n  ${SERVICE}:\\n    path: services/${SERVICE}\\n`),
    )
    // The repo-wide lists (vitest.workspace.ts, tsconfig.json) already take services/* by glob.
    expect(generated[0]?.notes.filter((note) => /vitest\.workspace|tsconfig/.test(note))).toEqual([])
    expect(readFileSync(join(dir, 'services', SERVICE, 'local.ts'), 'utf8')).toMatch(
      /offline: \{ httpPort: \d+/,
    )
  })

  it('generates tests that pass', async () => {
    const result = await checks.tests
    expect(result.code, tail(result)).toBe(0)
    expect(result.output).toMatch(new RegExp(`Test Files\\s+${FUNCTIONS.length} passed`))
  })

  it('generates code pnpm lint accepts (Biome, dependency-cruiser)', async () => {
    const biome = await checks.biome
    expect(biome.code, tail(biome)).toBe(0)
    const cruise = await checks.cruise
    expect(cruise.code, tail(cruise)).toBe(0)
  })

  it('generates code that typechecks', async () => {
    const result = await checks.typecheck
    expect(result.code, tail(result)).toBe(0)
  })

  describe('pnpm package', () => {
    const template = (service: string) =>
      JSON.parse(
        readFileSync(join(dir, '.build', 'templates', 'dev', `${service}.json`), 'utf8'),
      ) as CfnTemplate
    type Statement = { Effect: string; Action: string | string[]; Resource: unknown }
    const statementsOf = (service: string, key: string) => {
      const role = Object.entries(template(service).Resources ?? {}).find(
        ([id, resource]) =>
          resource.Type === 'AWS::IAM::Role' && id.toLowerCase().startsWith(key.toLowerCase()),
      )?.[1] as { Properties: { Policies: { PolicyDocument: { Statement: Statement[] } }[] } } | undefined
      return role?.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement) ?? []
    }
    const grants = (service: string, key: string, action: string) =>
      statementsOf(service, key).filter((statement) => [statement.Action].flat().includes(action))

    it('packages every service, the generated ones included', async () => {
      const result = await checks.packaging
      expect(result.code, tail(result)).toBe(0)
      expect(result.output).toMatch(new RegExp(`dev ${SERVICE}: packaged`))
    })

    it('gives every generated function a role of its own, with only what its events need', async () => {
      await checks.packaging
      for (const { service, key } of FUNCTIONS)
        expect(statementsOf(service, key).length, key).toBeGreaterThan(0)
      expect(grants(SERVICE, 'fulfilOrder', 'sqs:ReceiveMessage').map((s) => s.Resource)).toEqual([
        [{ 'Fn::GetAtt': ['FulfilOrderQueue', 'Arn'] }],
      ])
      expect(grants(SERVICE, 'onOrderChange', 'dynamodb:GetRecords').map((s) => s.Resource)).toEqual([
        [{ 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] }],
      ])
      expect(grants(SERVICE, 'onOrderChange', 'sqs:SendMessage').map((s) => s.Resource)).toEqual([
        { 'Fn::GetAtt': ['OnOrderChangeFailureQueue', 'Arn'] },
      ])
      const resources = Object.values(template(SERVICE).Resources ?? {})
      const mappings = resources.filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping')
      expect(mappings.map((mapping) => mapping.Properties?.FunctionResponseTypes)).toEqual([
        ['ReportBatchItemFailures'],
        ['ReportBatchItemFailures'],
      ])
      expect(resources.some((resource) => resource.Type === 'AWS::ApiGateway::Method')).toBe(true)
    })

    it('passes the template policy (cfn-guard, our rules, the CloudFormation spec)', async () => {
      await checks.packaging
      const services = [...new Set(FUNCTIONS.map(({ service }) => service))]
      const suppressions = readSuppressions()
      const paths = services.map((service) => join(dir, '.build', 'templates', 'dev', `${service}.json`))
      const guard = runGuard(paths).flatMap((report) =>
        report.findings.map((finding) => ({
          ...finding,
          service: basename(finding.file, '.json'),
          stage: 'dev',
        })),
      )
      expect(
        applySuppressions(guard, suppressions).open.map((f) => `${f.service} ${f.rule} ${f.resource}`),
      ).toEqual([])
      for (const service of services) {
        const subjects = rulesFor('dev').flatMap((rule) =>
          rule.check(template(service)).map(({ resource, message }) => ({
            rule: rule.id,
            resource,
            service,
            stage: 'dev',
            text: message,
          })),
        )
        expect(
          applySuppressions(subjects, suppressions).open.map((s) => `${s.rule} ${s.resource}: ${s.text}`),
        ).toEqual([])
        expect(checkTemplateAgainstSpec(template(service))).toEqual([])
      }
    })
  })
})
