import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'cloudformation', include: ['src/**/*.test.ts'] },
})
