/**
 * Reads serverless-compose.yml the way `@osls/compose` does: every `${service.Output}` in a service's
 * params is an edge to that service, `dependsOn` adds explicit edges, and deploys follow the graph.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export interface ComposeService {
  readonly name: string
  /** Folder relative to the repo root. */
  readonly path: string
  readonly params: Readonly<Record<string, string>>
  readonly dependsOn: readonly string[]
  readonly config?: string
  readonly region?: string
}

/** Same pattern as @osls/compose's `resolveObject`: `${todo-api.UserPoolId}` → service + output. */
const REFERENCE = /\${(\w*:?[\w\d.-]+)}/g

export interface OutputReference {
  readonly service: string
  readonly output: string
}

export const referencesIn = (value: string): OutputReference[] =>
  [...value.matchAll(REFERENCE)].map((match) => {
    const [service = '', ...rest] = (match[1] ?? '').split('.')
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
  const services = doc?.services ?? {}
  return Object.entries(services).map(([name, raw]) => {
    if (typeof raw?.path !== 'string')
      throw new Error(`serverless-compose.yml: service "${name}" has no path`)
    const params = Object.fromEntries(
      Object.entries((raw.params ?? {}) as Record<string, unknown>).map(([key, value]) => [
        key,
        String(value),
      ]),
    )
    const dependsOn =
      typeof raw.dependsOn === 'string' ? [raw.dependsOn] : ((raw.dependsOn ?? []) as string[]).map(String)
    return {
      name,
      path: raw.path,
      params,
      dependsOn,
      ...(typeof raw.config === 'string' ? { config: raw.config } : {}),
      ...(typeof raw.region === 'string' ? { region: raw.region } : {}),
    }
  })
}

export const readCompose = (rootDir: string): ComposeService[] =>
  parseCompose(readFileSync(join(rootDir, 'serverless-compose.yml'), 'utf8'))

/** Upstream services of one service: referenced in its params or named in `dependsOn`. */
export const upstreamOf = (service: ComposeService): string[] => [
  ...new Set([
    ...Object.values(service.params).flatMap((value) => referencesIn(value).map((ref) => ref.service)),
    ...service.dependsOn,
  ]),
]

/**
 * Deploy order as waves: every service of a wave depends only on services of earlier waves, so the
 * services of one wave can be packaged side by side. Throws on unknown services and cycles, as compose does.
 */
export const deployWaves = (services: readonly ComposeService[]): string[][] => {
  const names = new Set(services.map((service) => service.name))
  const pending = new Map(services.map((service) => [service.name, upstreamOf(service)]))
  for (const [name, upstream] of pending) {
    const unknown = upstream.filter((dependency) => !names.has(dependency))
    if (unknown.length)
      throw new Error(`serverless-compose.yml: "${name}" references unknown ${unknown.join(', ')}`)
  }
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

/** Resolves `${service.Output}` references in params against known outputs, like compose at deploy time. */
export const resolveParams = (
  service: ComposeService,
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.params).map(([key, value]) => [
      key,
      value.replace(REFERENCE, (whole, path: string) => {
        const [name = '', ...rest] = path.split('.')
        const resolved = outputs[name]?.[rest.join('.')]
        if (resolved === undefined) {
          throw new Error(
            `${service.name}: param "${key}" references ${whole}, which ${name} does not output`,
          )
        }
        return resolved
      }),
    ]),
  )
