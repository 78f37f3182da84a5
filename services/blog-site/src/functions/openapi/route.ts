import { httpRoute } from '@app/runtime/http'
import type { BehindCdn } from '../../api/http'
import document from './openapi.generated.json'

/**
 * GET /api/openapi.json: public and cacheable; the document generated at build time from the
 * routes' zod schemas (`src/api/openapi.ts`, kept current by `document.test.ts`), so zod-to-openapi
 * stays out of the bundle.
 */
export const openApiRoute = (deps: BehindCdn) =>
  httpRoute({ auth: false, origin: deps.origin }, async () => ({
    status: 200,
    body: document,
    cacheControl: 'public, max-age=300',
  }))
