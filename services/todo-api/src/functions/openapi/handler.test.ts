import { describe, expect, it } from 'vitest'
import { invoke } from '../../testing/invoke'
import { openApiRoute } from './route'

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document generated from the zod schemas, without a token', async () => {
    const response = await invoke(openApiRoute({ maxUploadBytes: 1234 }), {
      method: 'GET',
      path: '/openapi.json',
    })
    expect(response.status).toBe(200)
    const document = response.body
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths).sort()).toEqual([
      '/files',
      '/files/links',
      '/todos',
      '/todos/changes',
      '/todos/{id}',
    ])
    expect(Object.keys(document.paths['/todos/{id}']).sort()).toEqual(['delete', 'get', 'patch'])
    // The same limits the handlers enforce, straight from the shared schemas.
    const newTodo = document.components.schemas.NewTodo
    expect(newTodo.additionalProperties).toBe(false)
    expect(newTodo.properties.title.maxLength).toBe(200)
    expect(newTodo.required).toEqual(['title'])
    expect(document.components.schemas.TodoStatus.enum).toEqual(['open', 'done'])
    expect(document.paths['/files/links'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/FileLinkRequest',
    )
    expect(JSON.stringify(document.components.schemas.FileLinkRequest)).toContain('"maximum":1234')
    expect(document.paths['/todos'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'status', 'cursor']),
    )
    expect(document.paths['/todos'].post.security).toEqual([{ cognito: [] }])
  })
})
