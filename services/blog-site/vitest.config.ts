import { defineServiceProject } from '@app/local-cloud/vitest-project'

// Integration, fuzz and browser tests share the run's local cloud (DynamoDB Local, s3rver, offline).
export default defineServiceProject('blog-site', import.meta.dirname, {
  include: ['cloudfront/**/*.test.ts', 'site/**/*.test.ts'],
})
