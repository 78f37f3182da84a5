/**
 * In-memory ports with the semantics of the real adapters (conditional reads and writes included),
 * for unit tests of the use case and the handler. Integration tests use S3/DynamoDB stand-ins.
 */
import { createHash } from 'node:crypto'
import {
  normaliseSequencer,
  PhotoProcessingError,
  type PhotoProgress,
  type PhotoResult,
} from '@app/domain/photos'
import type { PhotoRecords, PhotoSource, PhotoUpload, StoredObject, ThumbnailStore } from '../ports'

export const UPLOADS = 'blog-site-test-uploads'

export type Item = PhotoProgress & Record<string, unknown>

export const memoryRecords = () => {
  const items = new Map<string, Item>()
  const records: PhotoRecords & { items: Map<string, Item>; saves: number } = {
    items,
    saves: 0,
    async get(photoKey) {
      const item = items.get(photoKey)
      return item ? { ...item } : undefined
    },
    async save(photoKey, result: PhotoResult) {
      const item = items.get(photoKey)
      if (!item) return 'missing'
      if (item.sourceSequencer !== undefined && item.sourceSequencer > result.sourceSequencer)
        return 'superseded'
      const next: Item = { ...item, ...result }
      for (const field of result.status === 'ready'
        ? ['reason', 'reasonDetail']
        : ['width', 'height', 'format', 'thumbnails']) {
        delete next[field]
      }
      items.set(photoKey, next)
      records.saves++
      return 'saved'
    },
  }
  return records
}

export const pendingItem = (photoKey: string): Item => ({
  photoKey,
  status: 'pending',
  postSlug: photoKey.split('/')[1] ?? 'post',
  uploadedAt: '2026-11-22T10:00:00.000Z',
})

/** An uploads bucket: each put gets a fresh ETag (MD5, as S3 for single-part uploads) and sequencer. */
export const memoryUploads = () => {
  const objects = new Map<string, { etag: string; bytes: Uint8Array; contentType: string }>()
  let sequence = 0x0055aed6dcd90281e0n
  const source: PhotoSource & { reads: number } = {
    reads: 0,
    async read(upload) {
      source.reads++
      const object = objects.get(upload.key)
      if (!object)
        throw new PhotoProcessingError('source-missing', 'The photo was deleted before it was processed')
      if (object.etag !== upload.etag) return { superseded: true }
      return { bytes: object.bytes, contentType: object.contentType }
    },
  }
  return {
    source,
    objects,
    /** Stores the bytes (as `contentType`, as the presigned PUT signed it) and returns the upload its event would announce. */
    put(key: string, bytes: Uint8Array, contentType = 'image/jpeg'): PhotoUpload {
      const etag = createHash('md5').update(bytes).digest('hex')
      objects.set(key, { etag, bytes, contentType })
      sequence += 1n
      return {
        bucket: UPLOADS,
        key,
        etag,
        size: bytes.length,
        sequencer: normaliseSequencer(sequence.toString(16)),
      }
    },
  }
}

export const memoryStore = () => {
  const objects = new Map<string, StoredObject>()
  const store: ThumbnailStore & { objects: Map<string, StoredObject>; puts: number; failNext: number } = {
    objects,
    puts: 0,
    /** How many of the next puts throw (a transient S3 error). */
    failNext: 0,
    async put(object) {
      if (store.failNext > 0) {
        store.failNext--
        throw Object.assign(new Error('SlowDown: Please reduce your request rate.'), { name: 'SlowDown' })
      }
      store.puts++
      objects.set(object.key, object)
    },
  }
  return store
}
