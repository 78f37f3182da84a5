import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'serverless-ops', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
})
