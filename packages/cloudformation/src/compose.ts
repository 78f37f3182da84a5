/**
 * Reads `serverless-compose.yml` the way `@osls/compose` deploys it: each `${service.Output}` in a
 * service's params is an edge to that service (its `resolveObject` pattern; `${sls:stage}`,
 * `${env:X}` and the like are variables compose resolves before the graph, not edges), `dependsOn`
 * adds explicit edges, and deploys follow the graph. One reader for `pnpm package` (waves packaged
 * side by side) and the local cloud (services started in dependency order, params from local outputs).
 * Parsed with `yaml`: a compose file has no CloudFormation short forms.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export interface ComposeService {
  readonly name: string
  /** Folder relative to the repo root. */
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  /** Every upstream service: referenced in params (`${svc.Output}`) or named in `dependsOn`. */
  readonly dependsOn: readonly string[]
  readonly config?: string
  readonly region?: string
}

/** @osls/compose's `resolveObject` pattern. */
const REFERENCE = /\${(\w*:?[\w\d.-]+)}/g

export interface OutputReference {
  readonly service: string
  readonly output: string
}

/** The `${service.Output}` references in a param value (`${sls:stage}`-style variables are not). */
export const referencesIn = (value: string): OutputReference[] =>
  [...value.matchAll(REFERENCE)]
    .map((match) => match[1] ?? '')
    .filter((path) => !path.includes(':') && path.includes('.'))
    .map((path) => {
      const [service = '', ...rest] = path.split('.')
      return { service, output: rest.join('.') }
    })

interface RawService {
  path?: unknown
  params?: unknown
  dependsOn?: unknown
  config?: unknown
  region?: unknown
}

export const parseCompose = (text: string): ComposeService[] => {
  const doc = parse(text) as { services?: Record<string, RawService> } | null
  return Object.entries(doc?.services ?? {}).map(([name, raw]) => {
    if (typeof raw?.path !== 'string')
      throw new Error(`serverless-compose.yml: service "${name}" has no path`)
    const params = Object.fromEntries(
      Object.entries((raw.params ?? {}) as Record<string, unknown>).map(([key, value]) => [
        key,
        String(value),
      ]),
    )
    const explicit =
      raw.dependsOn === undefined ? [] : [raw.dependsOn as string | string[]].flat().map(String)
    const referenced = Object.values(params).flatMap((value) => referencesIn(value).map((ref) => ref.service))
    return {
      name,
      path: raw.path,
      params,
      dependsOn: [...new Set([...explicit, ...referenced])],
      ...(typeof raw.config === 'string' ? { config: raw.config } : {}),
      ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
    }
  })
}

/** The repo's compose services; `[]` where there is no serverless-compose.yml (a lone service, fixtures). */
export const readCompose = (rootDir: string): ComposeService[] => {
  try {
    return parseCompose(readFileSync(join(rootDir, 'serverless-compose.yml'), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

const checkKnown = (services: readonly ComposeService[]) => {
  const names = new Set(services.map((service) => service.name))
  for (const service of services) {
    const unknown = service.dependsOn.filter((dependency) => !names.has(dependency))
    if (unknown.length)
      throw new Error(
        `serverless-compose.yml: ${service.name} depends on unknown service ${unknown.join(', ')}`,
      )
  }
}

/** Dependencies first, otherwise in file order; a cycle is an error, as in compose. */
export const composeOrder = (services: readonly ComposeService[]): ComposeService[] => {
  checkKnown(services)
  const byName = new Map(services.map((service) => [service.name, service]))
  const ordered: ComposeService[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (service: ComposeService, path: string[]) => {
    if (state.get(service.name) === 'done') return
    if (state.get(service.name) === 'visiting')
      throw new Error(`serverless-compose.yml: dependency cycle ${[...path, service.name].join(' -> ')}`)
    state.set(service.name, 'visiting')
    for (const dependency of service.dependsOn) visit(byName.get(dependency)!, [...path, service.name])
    state.set(service.name, 'done')
    ordered.push(service)
  }
  for (const service of services) visit(service, [])
  return ordered
}

/**
 * Deploy order as waves: every service of a wave depends only on services of earlier waves, so the
 * services of one wave can be packaged side by side. Throws on unknown services and cycles, as compose does.
 */
export const deployWaves = (services: readonly ComposeService[]): string[][] => {
  checkKnown(services)
  const pending = new Map(services.map((service) => [service.name, service.dependsOn]))
  const done = new Set<string>()
  const waves: string[][] = []
  while (pending.size) {
    const wave = [...pending].filter(([, upstream]) => upstream.every((d) => done.has(d))).map(([n]) => n)
    if (!wave.length)
      throw new Error(`serverless-compose.yml: dependency cycle among ${[...pending.keys()].join(', ')}`)
    for (const name of wave) {
      pending.delete(name)
      done.add(name)
    }
    waves.push(wave.sort())
  }
  return waves
}

/** `${service.Output}` in params → the output's value (deployed, stubbed or local); a missing one names both. */
export const resolveParams = (
  service: ComposeService,
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.params).map(([key, value]) => [
      key,
      value.replace(REFERENCE, (whole, path: string) => {
        if (path.includes(':') || !path.includes('.')) return whole
        const [from = '', ...rest] = path.split('.')
        const output = rest.join('.')
        const resolved = outputs[from]?.[output]
        if (resolved === undefined)
          throw new Error(
            `${service.name}: param ${key} needs output ${output} of ${from}, which has no value`,
          )
        return resolved
      }),
    ]),
  )
