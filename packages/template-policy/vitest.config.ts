import { configDefaults, defineProject } from 'vitest/config'
import { packagingTestsIn } from '../local-cloud/src/vitest-project.ts'

export default defineProject({
  test: {
    name: 'template-policy',
    include: ['src/**/*.test.ts'],
    // The tests over every service's packaged templates (policy, alarms, docs...) run in the
    // `packaging` project: packaging thumbnailer and workflows needs the npm registry.
    exclude: [...configDefaults.exclude, ...packagingTestsIn(import.meta.dirname)],
    testTimeout: 60_000,
  },
})
