import { describe, expect, it } from 'vitest'
import { todoApiClient } from './index'

/** The README's five lines, against a fake `fetch`: what the client sends and how it types answers. */
const fakeFetch = (status: number, body: unknown, contentType = 'application/json') => {
  const seen: Request[] = []
  const fetch = async (request: Request) => {
    seen.push(request)
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': contentType, etag: '"e1"' },
    })
  }
  return { seen, fetch }
}

describe('todoApiClient', () => {
  it('sends the token and the JSON body to the base URL, and returns the typed data', async () => {
    const { seen, fetch } = fakeFetch(201, { id: '01JDQ8ZB7H4XK2V7N3M9T5R6PA', title: 'Buy milk' })
    const todos = todoApiClient({ baseUrl: 'https://api.test/dev', token: 't0k', fetch })
    const { data, error, response } = await todos.POST('/todos', { body: { title: 'Buy milk' } })
    if (error) throw new Error(`${error.title}: ${error.detail}`)
    expect([data.id, response.headers.get('etag')]).toEqual(['01JDQ8ZB7H4XK2V7N3M9T5R6PA', '"e1"'])
    expect(seen[0]!.url).toBe('https://api.test/dev/todos')
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer t0k')
    expect(await seen[0]!.json()).toEqual({ title: 'Buy milk' })
  })

  it('returns a problem as `error`', async () => {
    const problem = {
      type: '/problems/validation',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid body',
    }
    const { fetch } = fakeFetch(400, problem, 'application/problem+json')
    const { data, error } = await todoApiClient({ baseUrl: 'https://api.test', fetch }).POST('/todos', {
      body: { title: '' },
    })
    expect(data).toBeUndefined()
    expect(error).toEqual(problem)
  })
})
