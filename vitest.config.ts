import { defineConfig } from 'vitest/config'
import { packagingProject } from './packages/local-cloud/src/vitest-project.ts'
import projects from './vitest.workspace.ts'

export default defineConfig({
  test: {
    // Every package and service, plus `packaging`: the tests that run `sls package` (npm registry
    // needed for sharp); an offline run leaves it out with `--project '!packaging'`.
    projects: [...projects, packagingProject],
    // One local cloud per run, started only when *.integration.test.ts / *.e2e.test.ts files are
    // selected; tests read it with `localCloud()` from '@app/local-cloud/testing'.
    globalSetup: ['./packages/local-cloud/src/test-setup.ts'],
    // Local functions log to test-results/local-cloud/<run>.log; a failing test shows that log's tail.
    // `dot`: a passing run prints a line of dots and the tests' own figures (fuzz shares), not a line
    // per file; failures are printed in full as with `default` (`pnpm test --reporter=default` for that).
    reporters: ['dot', './packages/local-cloud/src/log-tail-reporter.ts'],
  },
})
