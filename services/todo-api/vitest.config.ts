import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'todo-api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // What serverless.yml sets for every function; logs silenced so failures stand out.
    env: {
      POWERTOOLS_SERVICE_NAME: 'todo-api',
      POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    // Integration/e2e files share the run's local cloud (DynamoDB Local, s3rver, cognito-local, offline).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
