import { httpRoute } from '@app/runtime/http'
import { openApiDocument } from './document'

/**
 * GET /openapi.json: public, cacheable; built once per container from the document generated at
 * build time (zod-to-openapi stays out of the bundle).
 */
export const openApiRoute = (options: { maxUploadBytes: number }) => {
  const document = openApiDocument(options.maxUploadBytes)
  return httpRoute({ auth: false }, async () => ({
    status: 200,
    body: document,
    cacheControl: 'public, max-age=300',
  }))
}
