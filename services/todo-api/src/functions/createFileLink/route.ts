import { fileLinkRequestSchema } from '@app/domain/files'
import { httpRoute } from '@app/runtime/http'
import type { FileStore } from '../../ports'
import { createFileLink } from '../../use-cases/files'

/** POST /files/links: a presigned PUT/GET/DELETE URL for one file of the caller's folder. */
export const createFileLinkRoute = (ports: { files: FileStore }, options: { maxUploadBytes: number }) =>
  httpRoute(
    { auth: true, schemas: { body: fileLinkRequestSchema(options.maxUploadBytes) } },
    async ({ body, principal }) => ({
      status: 201,
      body: await createFileLink(ports, principal.sub, body),
      // A presigned URL is a short-lived credential: never store it in a cache.
      headers: { 'cache-control': 'no-store' },
    }),
  )
