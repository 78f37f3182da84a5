import { restEvent } from '@app/runtime/testing'
import { describe, expect, it } from 'vitest'
import { handlerUnderTest } from '../../testing/functions'
import document from './openapi.generated.json'

const { invoke } = await handlerUnderTest('openapi', () => import('./handler'))

describe('GET /workflows/openapi.json', () => {
  it('serves the generated OpenAPI 3.1 document without a token, cacheable', async () => {
    const response = await invoke(restEvent({ method: 'GET', path: '/workflows/openapi.json' }))
    expect(response.statusCode).toBe(200)
    expect(response.headers).toMatchObject({
      'cache-control': 'public, max-age=300',
      etag: expect.any(String),
    })
    const served = JSON.parse(response.body)
    expect(served).toEqual(document)
    expect(served.openapi).toBe('3.1.0')
    expect(Object.keys(served.paths).sort()).toEqual(['/executions/{id}', '/photo', '/text'])
    // The limits the route enforces, straight from its schema.
    expect(served.components.schemas.JobStarted.additionalProperties).toBe(false)
    expect(
      served.paths['/text'].post.requestBody.content['application/json'].schema.properties.topN,
    ).toMatchObject({ minimum: 1, maximum: 100 })
  })
})
