import { ConflictError, IdempotencyKeyReusedError, NotFoundError, PreconditionFailedError } from '@app/domain'
import type { Todo, TodoChange } from '@app/domain/todos'
import type {
  Clock,
  FileStore,
  Idempotency,
  IdGenerator,
  PageKey,
  SequencedChange,
  TodoRepository,
} from '../ports'

/**
 * In-memory implementations of the ports with the same observable rules as the adapters (scoping by
 * user, newest first, conditional writes), for unit tests of use cases and handlers. The adapters
 * themselves are tested against the real stand-ins (test/*.integration.test.ts).
 */
export const fakeTodoRepository = (): TodoRepository & {
  rows: Map<string, Todo>
  cached: Map<string, Todo>
} => {
  const rows = new Map<string, Todo>()
  // A read cache like DAX's item cache: filled by reads without `latest`, kept current by the
  // repository's own writes (write-through). Setting `rows` directly is a write it did not see.
  const cached = new Map<string, Todo>()
  const key = (sub: string, id: string) => `${sub}|${id}`
  // The change feed: per user, each todo's latest state or tombstone under a growing number.
  const feed = new Map<string, Map<string, SequencedChange>>()
  let seq = 0
  const record = (sub: string, change: TodoChange) => {
    const mine = feed.get(sub) ?? new Map<string, SequencedChange>()
    feed.set(sub, mine)
    mine.set(change.id, { ...structuredClone(change), seq: ++seq })
  }
  return {
    rows,
    cached,
    async create(sub, todo) {
      if (rows.has(key(sub, todo.id))) throw new Error('duplicate id')
      rows.set(key(sub, todo.id), structuredClone(todo))
      cached.set(key(sub, todo.id), structuredClone(todo))
      record(sub, { id: todo.id, todo })
    },
    async get(sub, id, options) {
      const fresh = rows.get(key(sub, id))
      if (options?.latest) return fresh ? structuredClone(fresh) : undefined
      if (!cached.has(key(sub, id)) && fresh) cached.set(key(sub, id), structuredClone(fresh))
      const todo = cached.get(key(sub, id))
      return todo ? structuredClone(todo) : undefined
    },
    async list(sub, { status, limit, after }) {
      const mine = [...rows.entries()]
        .filter(([k, todo]) => k.startsWith(`${sub}|`) && (!status || todo.status === status))
        .map(([, todo]) => todo)
        .sort((a, b) => (a.id < b.id ? 1 : -1))
      const start = after ? mine.findIndex((todo) => todo.id === (after as PageKey).id) + 1 : 0
      const items = mine.slice(start, start + limit)
      const last = items.at(-1)
      return { items, ...(start + limit < mine.length && last ? { next: { id: last.id } } : {}) }
    },
    async replace(sub, todo, expectedVersion) {
      const current = rows.get(key(sub, todo.id))
      if (!current) throw new NotFoundError('No such todo')
      if (current.version !== expectedVersion) throw new PreconditionFailedError('stale')
      rows.set(key(sub, todo.id), structuredClone(todo))
      cached.set(key(sub, todo.id), structuredClone(todo))
      record(sub, { id: todo.id, todo })
    },
    async remove(sub, id, expectedVersion) {
      const current = rows.get(key(sub, id))
      if (!current) throw new NotFoundError('No such todo')
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw new PreconditionFailedError('stale')
      rows.delete(key(sub, id))
      cached.delete(key(sub, id))
      record(sub, { id, deleted: true })
    },
    async changes(sub, { after, limit }) {
      const mine = [...(feed.get(sub)?.values() ?? [])]
        .filter((change) => change.seq > after)
        .sort((a, b) => a.seq - b.seq)
      return { changes: structuredClone(mine.slice(0, limit)), more: mine.length > limit }
    },
  }
}

export const fixedClock = (iso = '2026-11-22T10:00:00.000Z'): Clock & { set(iso: string): void } => {
  let now = new Date(iso)
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) }
}

/** Ids that sort like ULIDs (fixed width, increasing). */
export const sequentialIds = (): IdGenerator => {
  let n = 0
  return { next: () => `01JDQ${String(++n).padStart(21, '0')}` }
}

/** Same contract as the Powertools adapter: per (sub, key), payload-checked, in-progress is 409. */
export const fakeIdempotency = (): Idempotency => {
  const records = new Map<string, { payload: string; result?: unknown }>()
  return {
    async once(scope, payload, work) {
      const id = JSON.stringify([scope.sub, scope.key])
      const existing = records.get(id)
      if (existing) {
        if (existing.payload !== JSON.stringify(payload)) throw new IdempotencyKeyReusedError('reused')
        if (!('result' in existing)) throw new ConflictError('in progress')
        return existing.result as never
      }
      records.set(id, { payload: JSON.stringify(payload) })
      try {
        const result = await work()
        records.set(id, { payload: JSON.stringify(payload), result })
        return result
      } catch (error) {
        records.delete(id)
        throw error
      }
    },
  }
}

export const fakeFileStore = (
  objects: Record<string, number> = {},
): FileStore & { objects: Record<string, number> } => {
  const expiresAt = new Date('2026-11-22T10:05:00.000Z')
  const url = (method: string, key: string) => `https://files.example/${key}?method=${method}&signature=fake`
  return {
    objects,
    async presignUpload(key, contentType, size) {
      return {
        method: 'PUT',
        url: url('PUT', key),
        headers: { 'content-type': contentType, 'content-length': String(size) },
        expiresAt,
      }
    },
    async presignDownload(key) {
      return { method: 'GET', url: url('GET', key), headers: {}, expiresAt }
    },
    async presignDelete(key) {
      return { method: 'DELETE', url: url('DELETE', key), headers: {}, expiresAt }
    },
    async exists(key) {
      return key in objects
    },
    async list(prefix, limit, after) {
      const keys = Object.keys(objects)
        .filter((key) => key.startsWith(prefix) && (!after || key > after))
        .sort()
      const items = keys
        .slice(0, limit)
        .map((key) => ({ key, size: objects[key]!, lastModified: new Date(0) }))
      return { items, ...(keys.length > limit ? { next: items.at(-1)!.key } : {}) }
    },
  }
}
