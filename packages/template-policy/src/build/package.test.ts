import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CfnTemplate } from '@app/cloudformation'
import { afterAll, describe, expect, it } from 'vitest'
import { packageStage, templatePath } from './package'
import { STUB_ACCOUNT_ID } from './stubs'

// A copy of the fixture stack, so runs never share state: a producer table whose stream ARN reaches
// the consumer only through a compose param, and a third service that is not written yet.
const root = mkdtempSync(join(tmpdir(), 'package-stage-'))
cpSync(join(import.meta.dirname, '__fixtures__', 'stack'), root, { recursive: true })
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('packageStage (real sls package, offline)', () => {
  it('packages in dependency order with upstream outputs stubbed, reports absent services, then caches (also when compose gains a service)', async () => {
    const first = await packageStage({ rootDir: root, stage: 'prod', region: 'eu-central-1' })
    const status = Object.fromEntries(first.services.map((s) => [s.name, s.status]))
    expect(status).toEqual({ consumer: 'packaged', producer: 'packaged', later: 'absent' })

    const consumer = JSON.parse(readFileSync(templatePath(root, 'prod', 'consumer'), 'utf8')) as CfnTemplate
    const mapping = Object.values(consumer.Resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping',
    )
    expect(mapping?.Properties?.EventSourceArn).toBe(
      `arn:aws:dynamodb:eu-central-1:${STUB_ACCOUNT_ID}:table/producer-prod-subscribers/stream/1970-01-01T00:00:00.000`,
    )
    const fn = Object.values(consumer.Resources).find((r) => r.Type === 'AWS::Lambda::Function')
    expect(fn?.Properties?.Environment).toEqual({ Variables: { TABLE_NAME: 'producer-prod-subscribers' } })

    const second = await packageStage({ rootDir: root, stage: 'prod', region: 'eu-central-1' })
    expect(second.services.map((s) => s.status)).toEqual(['cached', 'cached', 'absent'])

    // Another service in serverless-compose.yml (what `pnpm new service` adds) repackages no other.
    appendFileSync(join(root, 'serverless-compose.yml'), '  other:\n    path: services/other\n')
    const third = await packageStage({ rootDir: root, stage: 'prod', region: 'eu-central-1' })
    expect(third.services.map((s) => s.status)).toEqual(['cached', 'cached', 'absent', 'absent'])
  })
})
