import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'template-policy',
    include: ['src/**/*.test.ts'],
    // The policy suites share one packaging run per test run (see src/templates.ts): packaging five
    // services for two stages takes tens of seconds on 2 cores the first time, then reads a cache.
    globalSetup: ['src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
})
