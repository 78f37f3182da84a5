import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'blog-site',
    include: ['src/**/*.test.ts', 'cloudfront/**/*.test.ts', 'site/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration, fuzz and browser tests start stand-ins (DynamoDB Local, s3rver, offline).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
