/**
 * The `service` and `function` generators (node-plop): files come from the Handlebars templates in
 * ./templates, changes to files that exist (serverless.yml, serverless-compose.yml, config.ts,
 * local.ts) from the custom actions below, which edit YAML through yaml-edit.ts and refuse to
 * overwrite anything. cli.ts runs them; generate.test.ts runs them in a temporary copy of the repo.
 *
 * Why node-plop: it is plop's engine (plopjs, maintained, 0.32 in 2025): Handlebars templates, add /
 * addMany / modify actions and custom action types, driven from code. The plop CLI on top of it is
 * prompt-driven (inquirer) and takes generator arguments only positionally or after `--`, so it could
 * not offer `pnpm new function <service> <key> --kind http`; a TypeScript plopfile would also need a
 * loader. cli.ts parses the arguments (zod) and hands them to these generators instead.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import nodePlop, { type ActionType, type NodePlopAPI } from 'node-plop'
import {
  type FunctionRequest,
  factsOf,
  functionKeySchema,
  KINDS,
  type Kind,
  planFunction,
  STREAM_SPECIFICATION,
  serviceNameSchema,
} from './shape'
import { addToMap, addToSeq, valueAt } from './yaml-edit'

const TEMPLATES = join(import.meta.dirname, 'templates')

/** The file a kind's factory lives in (docs/service-conventions.md: one file kind per name). */
export const FACTORY_FILE: Record<Kind, string> = {
  http: 'route.ts',
  sqs: 'consumer.ts',
  stream: 'consumer.ts',
  step: 'step.ts',
}

export interface Generated {
  /** Files written or changed, relative to the repo root. */
  readonly files: readonly string[]
  /** What the author still has to do (printed by the CLI). */
  readonly notes: readonly string[]
}

const read = (path: string) => readFileSync(path, 'utf8')

/** The preferred local ports of every service that has them, so a new one takes the next pair. */
const nextOfflinePorts = (rootDir: string) => {
  const used = readdirSync(join(rootDir, 'services'))
    .map((name) => join(rootDir, 'services', name, 'local.ts'))
    .filter((file) => existsSync(file))
    .flatMap((file) => [...read(file).matchAll(/httpPort:\s*(\d+)/g)].map((match) => Number(match[1])))
  const httpPort = Math.max(3000, ...used) + 1
  return { httpPort, lambdaPort: httpPort + 100 }
}

/** The zod range the services already use, so the new one resolves the same version. */
const zodVersion = (rootDir: string) => {
  const runtime = JSON.parse(read(join(rootDir, 'packages', 'runtime', 'package.json'))) as {
    dependencies: Record<string, string>
  }
  return runtime.dependencies.zod ?? '^4'
}

/** Biome's formatting and import order over what was written, so the result is what `pnpm lint` wants. */
const format = (rootDir: string, files: readonly string[]) => {
  const code = files.filter((file) => /\.(ts|json)$/.test(file) && !file.endsWith('package.json'))
  if (!code.length) return
  execFileSync(join(rootDir, 'node_modules', '.bin', 'biome'), ['check', '--write', ...code], {
    cwd: rootDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

/** A plop action that changes one file through `edit` (the action's line in plop's report). */
const editAction = (path: string, edit: (text: string) => string) => (): string => {
  writeFileSync(path, edit(read(path)))
  return path
}

const createPlop = async (rootDir: string): Promise<NodePlopAPI> => {
  const plop = await nodePlop(undefined, { destBasePath: rootDir, force: false })
  // What every handler.ts says about itself, once.
  plop.setPartial('readsConfig', read(join(TEMPLATES, 'function', 'common', 'reads-config.hbs')))

  plop.setGenerator('service', {
    description: 'a service in the one shape (services/<name>/)',
    prompts: [],
    actions: (answers) => {
      const { name } = answers as { name: string }
      const actions: ActionType[] = [
        {
          type: 'addMany',
          destination: join(rootDir, 'services', name),
          base: join(TEMPLATES, 'service'),
          templateFiles: join(TEMPLATES, 'service', '**', '*.hbs'),
          stripExtensions: ['hbs'],
          globOptions: { dot: false },
          abortOnFail: true,
        },
        editAction(join(rootDir, 'serverless-compose.yml'), (text) =>
          addToMap(text, ['services'], { [name]: { path: `services/${name}` } }, { spaced: true }),
        ),
      ]
      return actions
    },
  })

  plop.setGenerator('function', {
    description: 'a function of a service (serverless.yml entry, its role, handler, factory, test)',
    prompts: [],
    actions: (answers) => {
      const { service, plan, files } = answers as {
        service: string
        plan: ReturnType<typeof planFunction>
        files: string[]
      }
      const serviceDir = join(rootDir, 'services', service)
      const { key, kind } = plan.data as { key: string; kind: Kind }
      const functionDir = join(serviceDir, 'src', 'functions', key)
      const config = join(serviceDir, 'src', 'config.ts')
      const actions: ActionType[] = []
      for (const file of ['handler.ts', FACTORY_FILE[kind], 'handler.test.ts']) {
        actions.push({
          type: 'add',
          path: join(functionDir, file),
          templateFile: join(TEMPLATES, 'function', kind, `${file}.hbs`),
          data: plan.data,
          abortOnFail: true,
        })
        files.push(relative(rootDir, join(functionDir, file)))
      }
      if (!existsSync(config)) {
        actions.push({
          type: 'add',
          path: config,
          templateFile: join(TEMPLATES, 'function', 'common', 'config.ts.hbs'),
        })
      }
      actions.push(
        editAction(config, (text) => {
          const withImport = /\bawsEnvSchema\b/.test(text.split('\nexport ')[0] ?? '')
            ? text
            : `import { awsEnvSchema } from '@app/runtime/config'\n${text}`
          return `${withImport.trimEnd()}\n\n/** ${key}: add the variables it reads (its serverless.yml \`environment\`). */\nexport const ${key}EnvSchema = awsEnvSchema.extend({})\n`
        }),
      )
      files.push(relative(rootDir, config))
      actions.push(editAction(join(serviceDir, 'serverless.yml'), (text) => applyPlan(text, plan, rootDir)))
      files.push(relative(rootDir, join(serviceDir, 'serverless.yml')))
      return actions
    },
  })
  return plop
}

/** Splices one function's plan into serverless.yml (see shape.ts for what each kind adds). */
const applyPlan = (yml: string, plan: ReturnType<typeof planFunction>, rootDir: string): string => {
  let text = yml
  const key = plan.data.key as string
  if (plan.addOfflinePlugin) {
    text = addToSeq(text, ['custom', 'shape', 'plugins'], ['serverless-offline'])
    if (valueAt(text, ['custom', 'serverless-offline']) === undefined)
      text = addToMap(text, ['custom'], {
        'serverless-offline': { ...nextOfflinePorts(rootDir), reloadHandler: false },
      })
  }
  if (plan.addApiThrottle && valueAt(text, ['custom', 'ops', 'apiThrottle']) === undefined) {
    text = addToMap(text, ['custom', 'ops'], { apiThrottle: { rateLimit: 20, burstLimit: 40 } })
  }
  if (Object.keys(plan.names).length) text = addToMap(text, ['custom', 'names'], plan.names)
  text = addToMap(text, ['functions'], { [key]: plan.entry }, { spaced: true })
  if (
    plan.enableStreamOn &&
    valueAt(text, ['resources', 'Resources', plan.enableStreamOn, 'Properties', 'StreamSpecification']) ===
      undefined
  ) {
    text = addToMap(text, ['resources', 'Resources', plan.enableStreamOn, 'Properties'], {
      StreamSpecification: STREAM_SPECIFICATION,
    })
  }
  if (Object.keys(plan.resources).length)
    text = addToMap(text, ['resources', 'Resources'], plan.resources, { spaced: true })
  const outputs = Object.fromEntries(
    Object.entries(plan.outputs).filter(
      ([name]) => valueAt(text, ['resources', 'Outputs', name]) === undefined,
    ),
  )
  if (Object.keys(outputs).length) text = addToMap(text, ['resources', 'Outputs'], outputs)
  return text
}

const run = async (plop: NodePlopAPI, generator: string, answers: Record<string, unknown>) => {
  const { failures } = await plop.getGenerator(generator).runActions(answers)
  if (failures.length) {
    throw new Error(
      failures
        .map((failure) => `${failure.path || failure.type}: ${failure.error ?? failure.message}`)
        .join('\n'),
    )
  }
}

/** `pnpm new service <name>`: services/<name>/ in the one shape, and its serverless-compose entry. */
export const generateService = async (rootDir: string, name: string): Promise<Generated> => {
  serviceNameSchema.parse(name)
  const dir = join(rootDir, 'services', name)
  if (existsSync(dir)) throw new Error(`services/${name} exists already`)
  if (valueAt(read(join(rootDir, 'serverless-compose.yml')), ['services', name]) !== undefined)
    throw new Error(`serverless-compose.yml has a service ${name} already`)
  await run(await createPlop(rootDir), 'service', { name, zodVersion: zodVersion(rootDir) })
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => relative(rootDir, join(dir, file)))
    .concat('serverless-compose.yml')
  format(rootDir, files)
  const notes = [
    ...coverage(rootDir, name),
    'run `pnpm install` to link the new workspace package',
    `add functions: pnpm new function ${name} <key> --kind http|sqs|stream|step`,
  ]
  return { files, notes }
}

/** The repo-wide lists a service must be in; both use globs today, so this only checks they still match. */
const coverage = (rootDir: string, name: string): string[] => {
  const notes: string[] = []
  const workspace = read(join(rootDir, 'vitest.workspace.ts'))
  if (!/'services\/\*'/.test(workspace) && !workspace.includes(`'services/${name}'`))
    notes.push(`vitest.workspace.ts does not list services/*: add 'services/${name}'`)
  const tsconfig = read(join(rootDir, 'tsconfig.json'))
  if (!tsconfig.includes('"services/*/src/**/*"'))
    notes.push(`tsconfig.json does not include services/*/src: add services/${name}`)
  return notes
}

/** `pnpm new function <service> <key> --kind <kind>`: see shape.ts for what each kind adds. */
export const generateFunction = async (
  rootDir: string,
  service: string,
  request: FunctionRequest,
): Promise<Generated> => {
  serviceNameSchema.parse(service)
  functionKeySchema.parse(request.key)
  if (!KINDS.includes(request.kind)) throw new Error(`--kind is one of ${KINDS.join(', ')}`)
  const serviceDir = join(rootDir, 'services', service)
  const ymlPath = join(serviceDir, 'serverless.yml')
  if (!existsSync(ymlPath)) throw new Error(`services/${service}/serverless.yml does not exist`)
  if (existsSync(join(serviceDir, 'src', 'functions', request.key)))
    throw new Error(`services/${service}/src/functions/${request.key} exists already`)
  const plan = planFunction(factsOf(service, read(ymlPath)), request)
  const notes: string[] = []
  if (request.kind === 'step') {
    const kit = String(plan.data.stepKit)
    if (kit.startsWith('.') && !existsSync(join(serviceDir, 'src', 'functions', request.key, `${kit}.ts`))) {
      throw new Error(
        `step functions import defineStep from ${kit} (scripts/new/shape.ts STEP_KIT_MODULE), which ${service} does not have; ` +
          'point STEP_KIT_MODULE at the package defineStep lives in',
      )
    }
    notes.push(`wire ${request.key} into ${service}'s state machine (see the comment in its step.ts)`)
  }
  const files: string[] = []
  await run(await createPlop(rootDir), 'function', { service, plan, files })
  const local = join(serviceDir, 'local.ts')
  if (request.kind === 'http' && existsSync(local) && !/\boffline:/.test(read(local))) {
    const ports = valueAt(read(ymlPath), ['custom', 'serverless-offline']) as {
      httpPort: number
      lambdaPort: number
    }
    const text = read(local)
    const named = text.replace(
      /(defineLocalService\(\{\n\s*name\b[^\n]*\n)/,
      `$1  // serverless-offline for the HTTP functions (\`pnpm dev\`; tests pick free ports).\n  offline: { httpPort: ${ports.httpPort}, lambdaPort: ${ports.lambdaPort} },\n`,
    )
    if (named === text)
      notes.push(`set offline ports in services/${service}/local.ts so pnpm dev serves ${request.key}`)
    else {
      writeFileSync(local, named)
      files.push(relative(rootDir, local))
    }
  }
  if (request.kind === 'sqs')
    notes.push(`send to ${plan.data.queue} from its producer (Output ${plan.data.queue}Arn / Url)`)
  format(rootDir, files)
  return { files, notes }
}
