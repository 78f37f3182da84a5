import { describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../../api/openapi'

describe('the checked-in OpenAPI document', () => {
  it('is what the zod schemas generate now (after a schema change: `pnpm vitest run <this file> --update=all`, then `pnpm openapi` for the client)', async () => {
    await expect(`${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`).toMatchFileSnapshot(
      './openapi.generated.json',
    )
  })
})
