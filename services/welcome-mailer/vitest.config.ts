import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'welcome-mailer',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start their own stand-ins (DynamoDB Local: a JVM) once per file.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
