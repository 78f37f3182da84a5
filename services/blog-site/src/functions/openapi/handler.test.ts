import { describe, expect, it } from 'vitest'
import { call, viaCdn } from '../../testing/fakes'
import document from './openapi.generated.json'
import { openApiRoute } from './route'

const handler = openApiRoute(viaCdn)

describe('GET /api/openapi.json', () => {
  it('serves the generated OpenAPI 3.1 document without a token, cacheable', async () => {
    const answer = await call(handler, { path: '/api/openapi.json' })
    expect(answer.status).toBe(200)
    expect(answer.headers).toMatchObject({ 'cache-control': 'public, max-age=300', etag: expect.any(String) })
    expect(answer.body).toEqual(document)
    expect(answer.body.openapi).toBe('3.1.0')
    expect(Object.keys(answer.body.paths).sort()).toEqual([
      '/api/posts',
      '/api/posts/{slug}',
      '/api/posts/{slug}/photos',
      '/api/subscribers',
      '/api/subscribers/confirm',
      '/api/subscribers/unsubscribe',
    ])
    // The limits the routes enforce, straight from the domain's schemas.
    expect(answer.body.components.schemas.Post.properties.title).toMatchObject({ maxLength: 200 })
    expect(answer.body.paths['/api/posts'].post.security).toEqual([{ cognito: [] }])
    expect(answer.body.paths['/api/posts'].get.security).toEqual([])
  })
})
