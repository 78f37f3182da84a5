import { NotFoundError } from '@app/domain'
import {
  type FileLink,
  type FileLinkRequest,
  type FilePage,
  fileKey,
  folderOf,
  type ListFilesQuery,
} from '@app/domain/files'
import type { CursorCodec } from '@app/runtime/http'
import type { FileStore, PresignedRequest } from '../ports'

/**
 * The user's folder: every key is built from the caller's `sub` (never from client input beyond a
 * validated flat name), so no request can reach outside `private/<sub>/`.
 */

export const FILE_LIST_LIMIT_DEFAULT = 100

const link = (request: FileLinkRequest, signed: PresignedRequest): FileLink => ({
  operation: request.operation,
  name: request.name,
  method: signed.method,
  url: signed.url,
  headers: signed.headers,
  expiresAt: signed.expiresAt.toISOString(),
})

export const createFileLink = async (
  ports: { files: FileStore },
  sub: string,
  request: FileLinkRequest,
): Promise<FileLink> => {
  const key = fileKey(sub, request.name)
  if (request.operation === 'upload')
    return link(request, await ports.files.presignUpload(key, request.contentType, request.size))
  // Signing a URL for a missing file would only defer the 404; checking here also keeps another
  // user's file names unknowable (their keys are never under the caller's prefix anyway).
  if (!(await ports.files.exists(key))) throw new NotFoundError('No such file')
  return link(
    request,
    request.operation === 'download'
      ? await ports.files.presignDownload(key)
      : await ports.files.presignDelete(key),
  )
}

export const listFiles = async (
  ports: { files: FileStore; cursors: CursorCodec },
  sub: string,
  query: ListFilesQuery,
): Promise<FilePage> => {
  const folder = folderOf(sub)
  const binding = `files\n${sub}`
  const after = query.cursor ? ports.cursors.decode(query.cursor, binding) : undefined
  const afterName = typeof after?.after === 'string' ? after.after : undefined
  const page = await ports.files.list(
    folder,
    query.limit ?? FILE_LIST_LIMIT_DEFAULT,
    afterName ? fileKey(sub, afterName) : undefined,
  )
  return {
    items: page.items.map((item) => ({
      name: item.key.slice(folder.length),
      size: item.size,
      lastModified: item.lastModified.toISOString(),
    })),
    ...(page.next
      ? { nextCursor: ports.cursors.encode({ after: page.next.slice(folder.length) }, binding) }
      : {}),
  }
}
