/**
 * Reads `serverless-compose.yml` the way compose deploys: services in dependency order, and each
 * service's params with `${other-service.Output}` replaced by that service's (local) output.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export interface ComposeService {
  name: string
  path: string
  params: Record<string, string>
  dependsOn: string[]
}

const outputReference = /\$\{([\w-]+)\.([\w-]+)\}/g

export const parseCompose = (text: string): ComposeService[] => {
  const document = (parse(text) ?? {}) as {
    services?: Record<
      string,
      { path: string; params?: Record<string, unknown>; dependsOn?: string | string[] }
    >
  }
  return Object.entries(document.services ?? {}).map(([name, service]) => {
    const params = Object.fromEntries(
      Object.entries(service.params ?? {}).map(([key, value]) => [key, String(value)]),
    )
    const referenced = Object.values(params).flatMap((value) =>
      [...value.matchAll(outputReference)].map((m) => m[1] ?? ''),
    )
    const explicit = service.dependsOn === undefined ? [] : [service.dependsOn].flat()
    return { name, path: service.path, params, dependsOn: [...new Set([...explicit, ...referenced])] }
  })
}

export const readCompose = (rootDir: string): ComposeService[] => {
  try {
    return parseCompose(readFileSync(join(rootDir, 'serverless-compose.yml'), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** Dependencies first (stable otherwise); a cycle is an error, as in compose. */
export const composeOrder = (services: ComposeService[]): ComposeService[] => {
  const byName = new Map(services.map((service) => [service.name, service]))
  const ordered: ComposeService[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (service: ComposeService, path: string[]) => {
    if (state.get(service.name) === 'done') return
    if (state.get(service.name) === 'visiting')
      throw new Error(`serverless-compose.yml: cycle ${[...path, service.name].join(' -> ')}`)
    state.set(service.name, 'visiting')
    for (const dependency of service.dependsOn) {
      const target = byName.get(dependency)
      if (!target)
        throw new Error(`serverless-compose.yml: ${service.name} depends on unknown service ${dependency}`)
      visit(target, [...path, service.name])
    }
    state.set(service.name, 'done')
    ordered.push(service)
  }
  for (const service of services) visit(service, [])
  return ordered
}

/** `${svc.Output}` → the output's local value. A missing output names service and output. */
export const resolveComposeParams = (
  service: ComposeService,
  outputs: Readonly<Record<string, Record<string, string>>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service.params).map(([key, value]) => [
      key,
      value.replace(outputReference, (_match, from: string, output: string) => {
        const resolved = outputs[from]?.[output]
        if (resolved === undefined) {
          throw new Error(
            `${service.name}: param ${key} needs output ${output} of ${from}, which has no local value`,
          )
        }
        return resolved
      }),
    ]),
  )
