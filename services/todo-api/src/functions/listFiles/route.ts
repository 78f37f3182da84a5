import { listFilesQuerySchema } from '@app/domain/files'
import { type CursorCodec, httpRoute } from '@app/runtime/http'
import type { FileStore } from '../../ports'
import { listFiles } from '../../use-cases/files'

/** GET /files: the caller's folder, by name, cursor-paginated. */
export const listFilesRoute = (ports: { files: FileStore; cursors: CursorCodec }) =>
  httpRoute({ auth: true, schemas: { query: listFilesQuerySchema } }, async ({ query, principal }) => ({
    status: 200,
    body: await listFiles(ports, principal.sub, query),
    cacheControl: 'private, no-cache',
  }))
