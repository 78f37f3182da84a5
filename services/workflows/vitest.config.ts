import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'workflows',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The e2e files package the service (sls package) and run whole executions.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
})
