import { defineServiceProject } from '@app/local-cloud/vitest-project'

// Integration tests start their own stand-ins (DynamoDB Local: a JVM) once per file.
export default defineServiceProject('welcome-mailer', import.meta.dirname, { hookTimeout: 60_000 })
