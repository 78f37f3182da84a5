import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument, precomputeOpenApiDocument } from '../../api/openapi'
import { openApiDocument } from './document'

describe('the precomputed OpenAPI document', () => {
  it('is what the zod schemas generate now (after a schema change: `pnpm exec vitest run --update=all <this file>`)', async () => {
    await expect(`${JSON.stringify(precomputeOpenApiDocument(), null, 2)}\n`).toMatchFileSnapshot(
      './openapi.generated.json',
    )
  })

  it('serves exactly what the schemas generate, for any upload limit', () => {
    for (const maxUploadBytes of [1, 1234, 10_485_760, 5 * 1024 ** 3])
      expect(openApiDocument(maxUploadBytes)).toEqual(
        JSON.parse(JSON.stringify(buildOpenApiDocument({ maxUploadBytes }))),
      )
  })

  it('refuses a document that depends on the limit other than as a plain value', () => {
    expect(() =>
      precomputeOpenApiDocument(({ maxUploadBytes }) => ({
        info: { description: `up to ${maxUploadBytes}` },
      })),
    ).toThrow(/depends on maxUploadBytes/)
    expect(() =>
      precomputeOpenApiDocument(({ maxUploadBytes }) => (maxUploadBytes > 1_500_000 ? { a: 1 } : { b: 1 })),
    ).toThrow(/depends on maxUploadBytes/)
    expect(precomputeOpenApiDocument(({ maxUploadBytes }) => ({ x: [{ max: maxUploadBytes }] }))).toEqual({
      maxUploadBytesAt: ['/x/0/max'],
      document: { x: [{ max: 1_000_003 }] },
    })
  })
})
