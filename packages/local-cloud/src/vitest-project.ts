/**
 * The vitest projects of the repo, defined once: every service's project (`defineServiceProject`) and
 * the `packaging` project, which holds the tests that run `sls package`. Packaging needs the npm
 * registry wherever a service ships a native module for Lambda (thumbnailer and workflows install
 * sharp for linux-arm64), so an offline run leaves that project out with `--project '!packaging'`
 * (README, Testing) while `pnpm test` runs everything.
 */
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineProject, type TestProjectInlineConfiguration } from 'vitest/config'

// From import.meta.url, which vite keeps pointing at this file when it bundles a config importing it.
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '')

/**
 * The tests that run `sls package` (root-relative). A test that packages a service goes here, and
 * says so in its header; its own project then leaves it out.
 */
export const PACKAGING_TESTS = [
  // Needs the registry: serverless-esbuild runs `npm install sharp --cpu=arm64` into the zip.
  'services/thumbnailer/test/package.test.ts',
  // Packages workflows (sharp external, installed for linux-arm64) and runs its executions.
  'services/workflows/test/pipelines.e2e.test.ts',
  // Needs the registry: the image steps' zips get sharp for linux-arm64 (the shared esbuild block).
  'services/workflows/test/package.test.ts',
  'services/todo-api/test/template.test.ts',
  'services/blog-site/test/template.test.ts',
  // sls print of three stage variants (the WAF rate limit on and off).
  'services/blog-site/test/waf.test.ts',
  // Reads welcome-mailer's template from template-policy's packaging of the whole stage.
  'services/welcome-mailer/test/template.test.ts',
  // Package every service of serverless-compose.yml (so thumbnailer and workflows too) for dev and prod.
  'packages/template-policy/src/alarms.test.ts',
  'packages/template-policy/src/auth-overrides.test.ts',
  'packages/template-policy/src/docs.test.ts',
  'packages/template-policy/src/usage-plans.test.ts',
  'packages/template-policy/src/policy.test.ts',
  'packages/template-policy/src/rules/s3-bucket-names-owned.test.ts',
  'packages/template-policy/src/build/package.test.ts',
  'packages/template-policy/src/build/no-bundles.test.ts',
  // Packages its fixture service with the real framework.
  'packages/serverless-ops/src/plugin.test.ts',
] as const

/** `PACKAGING_TESTS` inside `dir`, relative to it: what that folder's own project excludes. */
export const packagingTestsIn = (dir: string): string[] =>
  PACKAGING_TESTS.map((file) => relative(dir, `${repoRoot}/${file}`)).filter((file) => !file.startsWith('..'))

/** What every test of a Lambda service sets: Powertools quiet, so a failing test's own output stands out. */
const quietPowertools = {
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'test',
}

/**
 * The vitest project of `services/<name>/` (call it from its vitest.config.ts with
 * `import.meta.dirname`): unit tests beside the code, integration/e2e tests in test/, Powertools
 * silenced, a 60 s test timeout (integration files share the run's local cloud), and the service's
 * packaging tests left to the `packaging` project.
 */
export const defineServiceProject = (
  name: string,
  dir: string,
  options: {
    /** Extra test folders (blog-site: the CloudFront functions and the site). */
    include?: string[]
    /** Variables the service's functions expect on top of the quiet Powertools defaults. */
    env?: Record<string, string>
    hookTimeout?: number
  } = {},
) =>
  defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts', ...(options.include ?? [])],
      exclude: [...configDefaults.exclude, ...packagingTestsIn(dir)],
      env: { ...quietPowertools, ...options.env },
      testTimeout: 60_000,
      hookTimeout: options.hookTimeout ?? 120_000,
    },
  })

/** The `packaging` project (root vitest.config.ts): the `PACKAGING_TESTS` of every folder. */
export const packagingProject: TestProjectInlineConfiguration = {
  test: {
    name: 'packaging',
    root: repoRoot,
    include: [...PACKAGING_TESTS],
    env: quietPowertools,
    // `sls package` of every service for two stages: minutes on a loaded 2-core machine the first time
    // (cached by input hash afterwards); the zip test installs sharp from the registry.
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
}
