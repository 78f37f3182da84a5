// biome-ignore-all lint/suspicious/noExplicitAny: `sls print` output is untyped
/**
 * `${env:...}` overrides of the token issuer, app client ids and cursor key are the local cloud's
 * (cognito-local's `http://` issuer, its clients, a fixed key): honoured for the `local` stage only.
 * Every other stage derives them from the pool and Secrets Manager whatever the deployer's shell
 * says, so its issuer is `https://`, and the cursor key reaches only the functions that sign cursors.
 * Before, dev and prod took all three from the environment, and todo-api gave the key to every function.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ROOT_DIR } from './templates'

const HOSTILE = {
  COGNITO_ISSUER: 'http://attacker.example/pool',
  COGNITO_CLIENT_IDS: 'attacker-client',
  CURSOR_SECRET: 'attacker-known-cursor-key-0123456789abcdef',
}
const PARAMS = [
  'userPoolId=us-east-1_Pool',
  'userPoolClientId=pool-client',
  'uploadsBucketName=uploads',
  'photoUploadedTopicArn=arn:aws:sns:us-east-1:000000000000:photo-uploaded',
]
/** The functions that sign cursors, per service; nobody else may hold the key. */
const SIGNERS: Record<string, string[]> = {
  'todo-api': ['listFiles', 'listTodoChanges', 'listTodos'],
  'blog-site': ['listPosts'],
  workflows: [],
}

const print = async (service: string, stage: string) => {
  const { stdout } = await promisify(execFile)(
    join(ROOT_DIR, 'node_modules', '.bin', 'sls'),
    ['print', '--stage', stage, '--format', 'json', ...PARAMS.flatMap((param) => ['--param', param])],
    {
      cwd: join(ROOT_DIR, 'services', service),
      env: { ...process.env, ...HOSTILE, SLS_TELEMETRY_DISABLED: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  const printed = JSON.parse(stdout)
  const environments: Record<string, Record<string, unknown>> = {
    provider: printed.provider.environment ?? {},
  }
  for (const [name, fn] of Object.entries<any>(printed.functions ?? {}))
    environments[name] = fn.environment ?? {}
  return environments
}

describe.each(Object.keys(SIGNERS))('%s', (service) => {
  it.each(['dev', 'prod'])(
    '%s ignores the environment and keeps the cursor key to its signers',
    async (stage) => {
      const environments = await print(service, stage)
      const text = JSON.stringify(environments)
      for (const value of Object.values(HOSTILE)) expect(text).not.toContain(value)
      for (const [where, env] of Object.entries(environments)) {
        const issuer = env.COGNITO_ISSUER
        if (typeof issuer === 'string') expect(issuer, where).toMatch(/^https:\/\//)
      }
      const holders = Object.entries(environments)
        .filter(([, env]) => 'CURSOR_SECRET' in env)
        .map(([where]) => where)
      expect(holders.sort()).toEqual(SIGNERS[service])
    },
  )

  it('local takes the local cloud’s overrides', async () => {
    const text = JSON.stringify(await print(service, 'local'))
    expect(text).toContain(HOSTILE.COGNITO_ISSUER)
    expect(text).toContain(HOSTILE.COGNITO_CLIENT_IDS)
  })
})
