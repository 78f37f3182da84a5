import { configDefaults, defineProject } from 'vitest/config'
import { packagingTestsIn } from '../local-cloud/src/vitest-project.ts'

export default defineProject({
  test: {
    name: 'serverless-ops',
    include: ['src/**/*.test.ts'],
    // plugin.test.ts packages its fixture service: the `packaging` project.
    exclude: [...configDefaults.exclude, ...packagingTestsIn(import.meta.dirname)],
    testTimeout: 120_000,
  },
})
