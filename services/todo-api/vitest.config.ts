import { defineServiceProject } from '@app/local-cloud/vitest-project'

// Integration/e2e files share the run's local cloud (DynamoDB Local, s3rver, cognito-local, offline).
export default defineServiceProject('todo-api', import.meta.dirname, {
  // What serverless.yml sets for every function.
  env: { POWERTOOLS_SERVICE_NAME: 'todo-api', POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics' },
})
