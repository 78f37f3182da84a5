import { defineServiceProject } from '@app/local-cloud/vitest-project'

// The e2e files run whole executions (pipelines.e2e.test.ts packages the service: `packaging` project).
export default defineServiceProject('workflows', import.meta.dirname, { hookTimeout: 240_000 })
