import { defineConfig } from 'vitest/config'
import projects from './vitest.workspace'

export default defineConfig({
  test: {
    projects,
    // Integration tests share one set of local stand-ins per run (see packages/local-cloud).
    reporters: process.env.CI ? ['default'] : ['default'],
  },
})
