import { type JobError, toJobFailure } from '@app/domain/jobs'
import { photoItemSchema, toPhotoView } from '@app/domain/posts'
import type { Audience, ServerMessage } from '@app/domain/realtime'
import { todoSchema } from '@app/domain/todos'

/** A table stream record, its images unmarshalled (the consumer's edge does that). */
export interface ChangeRecord {
  /** The stream record's `eventID`: the same on every redelivery, so the message's `id`. */
  readonly eventId: string
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  readonly newImage?: Record<string, unknown> | undefined
  readonly oldImage?: Record<string, unknown> | undefined
}

export interface Outgoing {
  readonly audience: Audience
  readonly message: ServerMessage
}

const userOf = (pk: unknown): string | undefined =>
  typeof pk === 'string' && pk.startsWith('USER#') && !pk.slice(5).includes('#') ? pk.slice(5) : undefined

/**
 * todo-api's todos table (keys: services/todo-api/src/adapters/dynamodb-todo-repository.ts): a todo
 * item written (`TODO#<id>`: created or changed) -> `todo.changed` with the todo; a tombstone
 * written (`TOMB#<id>`: the delete's transaction writes it with the todo's removal) ->
 * `todo.deleted`. Both go to all of the owner's connections: a REST write does not know which
 * socket (if any) its device holds, so the writing device hears its own change too and recognises
 * it by `todo.version` (or `seq`, the user's change sequence of GET /todos/changes). The todo
 * item's own REMOVE (the tombstone says it), tombstones expiring and the sequence counter say nothing.
 */
export const todoEvents = (record: ChangeRecord): Outgoing[] => {
  const image = record.newImage
  if (record.eventName === 'REMOVE' || !image) return []
  const user = userOf(image.PK)
  const sk = typeof image.SK === 'string' ? image.SK : ''
  if (!user) return []
  const seq = typeof image.CHSK === 'number' ? image.CHSK : undefined
  if (sk.startsWith('TODO#')) {
    const todo = todoSchema.safeParse(image)
    if (!todo.success) return []
    return [
      { audience: { user }, message: { type: 'todo.changed', id: record.eventId, todo: todo.data, seq } },
    ]
  }
  if (sk.startsWith('TOMB#') && record.eventName === 'INSERT')
    return [
      {
        audience: { user },
        message: { type: 'todo.deleted', id: record.eventId, todoId: sk.slice('TOMB#'.length), seq },
      },
    ]
  return []
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'])
/** API Gateway refuses messages over 128 KB: a larger result is left to GET /workflows/executions/{id}. */
export const MAX_RESULT_BYTES = 96 * 1024

/**
 * workflows' jobs table (one item per job, `JobItem`): the moment a job's status becomes final ->
 * `job.finished` (SUCCEEDED) or `job.failed` (FAILED, TIMED_OUT, ABORTED) to its owner, with the
 * same view as `GET /workflows/executions/{id}` (a failure as its public code, never the recorded
 * error). Later writes to a finished job (none today) and non-user owners (`blog-site:photo-uploaded`
 * has no connections) say nothing new / reach nobody.
 */
export const jobEvents = (record: ChangeRecord): Outgoing[] => {
  const job = record.newImage
  if (record.eventName === 'REMOVE' || !job) return []
  const status = String(job.status ?? '')
  if (!TERMINAL.has(status) || record.oldImage?.status === status) return []
  if (typeof job.jobId !== 'string' || typeof job.owner !== 'string') return []
  const error = job.error as JobError | undefined
  const result = job.result
  const large = result !== undefined && JSON.stringify(result).length > MAX_RESULT_BYTES
  return [
    {
      audience: { user: job.owner },
      message: {
        type: status === 'SUCCEEDED' ? 'job.finished' : 'job.failed',
        id: record.eventId,
        job: {
          id: job.jobId,
          workflow: job.workflow,
          status,
          ...(job.createdAt ? { createdAt: job.createdAt } : {}),
          ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
          ...(result !== undefined && !large ? { result } : {}),
          ...(error ? { error: toJobFailure(error) } : {}),
        },
        ...(large ? { resultOmitted: true } : {}),
        links: { self: `/workflows/executions/${job.jobId}` },
      },
    },
  ]
}

/**
 * blog-site's photos table (`pending` from the presign; `ready` or `failed` from the thumbnailer):
 * a photo's result, new or replaced by a later upload's (`processedAt` moved) -> `photo.ready` with
 * the readers' view (thumbnail URLs only, never the original: GET /api/posts/{slug}/photos' shape)
 * or `photo.failed` with its reason (a code, and words for the author), to the subscribers of
 * `post:<slug>`. Readers' pages never show failed photos; the studio shows the reason.
 */
export const photoEvents = (record: ChangeRecord): Outgoing[] => {
  const image = record.newImage
  if (record.eventName === 'REMOVE' || !image) return []
  const parsed = photoItemSchema.safeParse(image)
  if (!parsed.success || parsed.data.status === 'pending') return []
  const photo = parsed.data
  const before = record.oldImage
  if (before?.status === photo.status && before?.processedAt === image.processedAt) return []
  const topic = `post:${photo.postSlug}` as const
  const base = { id: record.eventId, post: photo.postSlug }
  if (photo.status === 'ready')
    return [{ audience: { topic }, message: { type: 'photo.ready', ...base, photo: toPhotoView(photo) } }]
  return [
    {
      audience: { topic },
      message: {
        type: 'photo.failed',
        ...base,
        photo: {
          photoKey: photo.photoKey,
          status: 'failed',
          reason: typeof image.reason === 'string' ? image.reason : 'unknown',
          ...(typeof image.reasonDetail === 'string' ? { reasonDetail: image.reasonDetail } : {}),
        },
      },
    },
  ]
}
