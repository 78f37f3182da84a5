import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'blog-site',
    include: ['src/**/*.test.ts', 'cloudfront/**/*.test.ts', 'site/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration, fuzz and browser tests start stand-ins (DynamoDB Local, s3rver, offline).
    testTimeout: 60_000,
    // Handlers run in-process: keep Powertools quiet (its logs and EMF lines would drown the report).
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_METRICS_NAMESPACE: 'test',
    },
    hookTimeout: 120_000,
  },
})
