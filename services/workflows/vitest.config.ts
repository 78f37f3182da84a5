import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'workflows',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Logs and EMF lines of handlers called in-process would bury the test output.
    env: { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // The e2e files package the service (sls package) and run whole executions.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
})
