import type { PrecomputedOpenApiDocument } from '../../api/openapi'
import precomputed from './openapi.generated.json'

/**
 * The OpenAPI document for this deployment's upload limit: the precomputed document (see
 * `precomputeOpenApiDocument`) with `maxUploadBytes` written where the schemas put it. Equal to
 * `buildOpenApiDocument({ maxUploadBytes })`, which `document.test.ts` proves.
 */
export const openApiDocument = (
  maxUploadBytes: number,
  source: PrecomputedOpenApiDocument = precomputed as PrecomputedOpenApiDocument,
): Record<string, unknown> => {
  const document = structuredClone(source.document)
  for (const pointer of source.maxUploadBytesAt) {
    const path = pointer
      .split('/')
      .slice(1)
      .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    const last = path.pop()!
    let node = document
    for (const segment of path) node = node[segment] as Record<string, unknown>
    node[last] = maxUploadBytes
  }
  return document
}
