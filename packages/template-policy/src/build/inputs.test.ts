import { describe, expect, it } from 'vitest'
import { notPackagingInput } from './package'

describe('notPackagingInput (what the packaged-template cache ignores)', () => {
  it('ignores the local cloud runner and a service’s local wiring, tests and benchmarks', () => {
    for (const file of [
      'packages/local-cloud/src/cloud.ts',
      'services/todo-api/local.ts',
      'services/todo-api/test/todos.e2e.test.ts',
      'services/todo-api/bench/index.ts',
      'packages/runtime/src/http/route.test.ts',
    ])
      expect(notPackagingInput(file, 'services/todo-api'), file).toBe(true)
  })

  it('keeps everything that shapes a template or a bundle', () => {
    for (const file of [
      'services/todo-api/serverless.yml',
      'services/todo-api/src/functions/createTodo/handler.ts',
      'packages/serverless-ops/service.cjs',
      'packages/runtime/src/http/route.ts',
      'packages/local-cloud-model/src/index.ts',
      // Another service's local.ts is not this one's, but its folder is not hashed for this one anyway.
      'services/todo-api-extra/local.ts',
    ])
      expect(notPackagingInput(file, 'services/todo-api'), file).toBe(false)
  })
})
