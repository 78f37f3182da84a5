import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'thumbnailer',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start their own stand-ins (DynamoDB Local: a JVM) once per file; the
    // packaging test runs `sls package` (esbuild + an npm install of sharp for linux-arm64).
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  },
})
