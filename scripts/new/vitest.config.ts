import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'generator',
    include: ['*.test.ts'],
    // generate.test.ts copies the repo, generates into it and runs tests, lint, tsc and `sls package`
    // there (about 2 minutes on a shared 2-core machine; see its header).
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
})
