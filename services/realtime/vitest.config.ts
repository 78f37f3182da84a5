import { defineServiceProject } from '@app/local-cloud/vitest-project'

// Unit and handler tests beside the code; integration/e2e files (*.integration.test.ts, *.e2e.test.ts)
// share the run's local cloud.
export default defineServiceProject('realtime', import.meta.dirname)
