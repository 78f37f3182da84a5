import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'welcome-mailer',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Logs and EMF lines of handlers called in-process would bury the test output.
    env: { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // Integration tests start their own stand-ins (DynamoDB Local: a JVM) once per file.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
