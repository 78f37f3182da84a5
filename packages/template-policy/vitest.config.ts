import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'template-policy',
    include: ['src/**/*.test.ts'],
    // policy.test.ts packages every service for dev and prod first (cached by input hash): minutes the
    // first time on a loaded 2-core machine, seconds after.
    testTimeout: 60_000,
    hookTimeout: 900_000,
  },
})
