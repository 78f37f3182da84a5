import { defineServiceProject } from '@app/local-cloud/vitest-project'

// Integration tests share the run's local cloud; the zip test (`sls package`, an npm install of sharp
// for linux-arm64) runs in the `packaging` project.
export default defineServiceProject('thumbnailer', import.meta.dirname, { hookTimeout: 180_000 })
