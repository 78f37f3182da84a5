// biome-ignore-all lint/suspicious/noExplicitAny: serverless.yml parsed as untyped YAML
/**
 * docs/deploy.md and suppressions.yml name stage settings in backticks (`apiCacheEnabled`); every such
 * camelCase name must be something a stage can actually set: a `params` key of some service's
 * serverless.yml, a compose param, or a setting of serverless-ops' `custom.ops` schema. (They once described DAX parameters,
 * `daxEnabled`, `daxSubnetIds`, `daxSecurityGroupIds`, that no serverless.yml had.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { opsSchema } from '../../serverless-ops/src/config'
import { ROOT_DIR } from './templates'

const yamlOf = (path: string) => parse(readFileSync(join(ROOT_DIR, path), 'utf8')) ?? {}
const keys = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []

// Every `custom.ops` setting serverless-ops accepts, whether or not a service uses it today.
const settable = new Set<string>(Object.keys(opsSchema.unwrap().shape))
for (const service of readdirSync(join(ROOT_DIR, 'services'))) {
  let definition: Record<string, any>
  try {
    definition = yamlOf(join('services', service, 'serverless.yml'))
  } catch {
    continue
  }
  for (const stage of Object.values(definition.params ?? {})) for (const key of keys(stage)) settable.add(key)
  for (const key of keys(definition.custom?.ops)) settable.add(key)
}
for (const service of Object.values(yamlOf('serverless-compose.yml').services ?? {}))
  for (const key of keys((service as { params?: unknown }).params)) settable.add(key)

const namesIn = (path: string) =>
  [...readFileSync(join(ROOT_DIR, path), 'utf8').matchAll(/`([a-z][a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*)`/g)].map(
    ([, name]) => name as string,
  )

describe('docs name only settings that exist', () => {
  it.each(['docs/deploy.md', 'packages/template-policy/suppressions.yml'])('%s', (path) => {
    expect(settable.size).toBeGreaterThan(20)
    expect(namesIn(path).filter((name) => !settable.has(name))).toEqual([])
  })
})
