import { httpRoute } from '@app/runtime/http'
import { buildOpenApiDocument } from '../../openapi'

/** GET /openapi.json: public, cacheable; built once per container. */
export const openApiRoute = (options: { maxUploadBytes: number }) => {
  const document = buildOpenApiDocument(options)
  return httpRoute({ auth: false }, async () => ({
    status: 200,
    body: document,
    cacheControl: 'public, max-age=300',
  }))
}
