import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'todo-api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
    // Integration/e2e files share the run's local cloud (DynamoDB Local, s3rver, cognito-local, offline).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
