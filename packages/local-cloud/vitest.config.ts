import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'local-cloud',
    include: ['src/**/*.test.ts'],
    // The integration files start stand-ins and Lambda worker sandboxes (a cold sandbox imports its
    // handler bundle): seconds each on a loaded 2-core runner, past vitest's 5 s default. As the services do.
    testTimeout: 60_000,
  },
})
