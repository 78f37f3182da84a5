import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'runtime',
    include: ['src/**/*.test.ts'],
    // Logs and EMF lines of the code under test would bury the test output.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'test',
    },
  },
})
