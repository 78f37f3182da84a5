import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { offlineInputs } from './offline'
import { planCloud } from './plan'

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..')
const fixture = join(import.meta.dirname, '..', '__fixtures__', 'iam')

let temp: string
let saved: string | undefined
beforeEach(() => {
  // os.tmpdir() reads TMPDIR at each call: this test's own, so other runs' folders do not count.
  saved = process.env.TMPDIR
  temp = mkdtempSync(join(tmpdir(), 'plan-test-'))
  process.env.TMPDIR = temp
})
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = saved
  rmSync(temp, { recursive: true, force: true })
})

describe('planCloud', () => {
  it('refuses an unknown service and leaves no temp data dir behind', async () => {
    await expect(
      planCloud({ rootDir: repoRoot, ports: 'auto', services: ['no-such-service'] }),
    ).rejects.toThrow('unknown service no-such-service')
    expect(readdirSync(temp)).toEqual([])
  })

  it('gives serverless-offline only the plan: compose params as markers, the functions file to read', async () => {
    const plan = await planCloud({
      rootDir: repoRoot,
      ports: 'auto',
      services: [
        {
          name: 'fixture-iam',
          dir: fixture,
          local: { name: 'fixture-iam', offline: { httpPort: 0, lambdaPort: 0 } },
        },
      ],
    })
    const service = {
      ...plan.services[0]!,
      compose: {
        name: 'fixture-iam',
        path: '',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose syntax, not a JS template
        params: { userPoolId: '${todo-api.UserPoolId}' },
        dependsOn: [],
      },
    }
    expect(plan.offline['fixture-iam']?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(offlineInputs(plan, service, { STAGE: 'local' })).toEqual({
      params: { userPoolId: 'arn:aws:local:us-east-1:000000000000:set-at-invocation/fixture-iam/userPoolId' },
      env: {
        STAGE: 'local',
        LOCAL_CLOUD_FUNCTIONS_FILE: join(plan.dataDir, 'lambda', 'offline-functions.json'),
      },
    })
    rmSync(plan.dataDir, { recursive: true, force: true })
  })
})
