import { describe, expect, it } from 'vitest'
import { type ChangeRecord, jobEvents, MAX_RESULT_BYTES, photoEvents, todoEvents } from './events'

const todo = {
  id: '01JDQ00000000000000000000A',
  title: 'Buy milk',
  status: 'open',
  version: 2,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:05:00.000Z',
}
const record = (eventName: ChangeRecord['eventName'], newImage?: Record<string, unknown>): ChangeRecord => ({
  eventId: 'e1',
  eventName,
  newImage,
})

describe('todoEvents', () => {
  it('a todo written: todo.changed to its owner, without the keys', () => {
    expect(
      todoEvents(
        record('MODIFY', {
          PK: 'USER#alice',
          SK: `TODO#${todo.id}`,
          GSI1PK: 'USER#alice#open',
          CHSK: 9,
          ...todo,
        }),
      ),
    ).toEqual([{ audience: { user: 'alice' }, message: { type: 'todo.changed', id: 'e1', todo, seq: 9 } }])
  })

  it('a tombstone created: todo.deleted to its owner', () => {
    expect(
      todoEvents(
        record('INSERT', { PK: 'USER#alice', SK: `TOMB#${todo.id}`, id: todo.id, deleted: true, CHSK: 10 }),
      ),
    ).toEqual([
      { audience: { user: 'alice' }, message: { type: 'todo.deleted', id: 'e1', todoId: todo.id, seq: 10 } },
    ])
  })

  it.each([
    ['the sequence counter', record('MODIFY', { PK: 'USER#alice', SK: 'SEQ', seq: 3 })],
    ['a removal (the tombstone says it)', record('REMOVE')],
    [
      'a partition that is not a user',
      record('INSERT', { PK: 'USER#alice#open', SK: `TODO#${todo.id}`, ...todo }),
    ],
    ['an item that is not a todo', record('INSERT', { PK: 'USER#alice', SK: 'TODO#x', title: 'no id' })],
  ])('says nothing for %s', (_case, input) => {
    expect(todoEvents(input)).toEqual([])
  })
})

describe('jobEvents', () => {
  const job = { jobId: 'j1', owner: 'alice', workflow: 'text', createdAt: '2026-12-02T10:00:00.000Z' }
  const change = (status: string, before?: string, extra: Record<string, unknown> = {}): ChangeRecord => ({
    eventId: 'e2',
    eventName: before ? 'MODIFY' : 'INSERT',
    newImage: { ...job, status, ...extra },
    ...(before ? { oldImage: { ...job, status: before } } : {}),
  })

  it('a job that succeeded: job.finished to its owner with the result', () => {
    expect(jobEvents(change('SUCCEEDED', 'RUNNING', { result: { totalWords: 3 }, finishedAt: 'f' }))).toEqual(
      [
        {
          audience: { user: 'alice' },
          message: {
            type: 'job.finished',
            id: 'e2',
            job: {
              id: 'j1',
              workflow: 'text',
              status: 'SUCCEEDED',
              createdAt: job.createdAt,
              finishedAt: 'f',
              result: { totalWords: 3 },
            },
            links: { self: '/workflows/executions/j1' },
          },
        },
      ],
    )
  })

  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])(
    'a job %s: job.failed with its public code, not the recorded error',
    (status) => {
      const [event] = jobEvents(
        change(status, 'RUNNING', { error: { name: 'States.Timeout', message: 'internal detail' } }),
      )
      expect(event?.message).toMatchObject({
        type: 'job.failed',
        job: { status, error: { code: 'timed-out' } },
      })
      expect(JSON.stringify(event)).not.toContain('internal detail')
    },
  )

  it('a result too large for one message is left to GET (resultOmitted)', () => {
    const [event] = jobEvents(
      change('SUCCEEDED', 'RUNNING', { result: { words: 'x'.repeat(MAX_RESULT_BYTES) } }),
    )
    expect(event?.message).toMatchObject({ resultOmitted: true })
    expect(event?.message.job).not.toHaveProperty('result')
  })

  it.each([
    ['a running job', change('RUNNING')],
    ['a write to a job already final', change('SUCCEEDED', 'SUCCEEDED')],
    [
      'a removal (TTL)',
      { eventId: 'e', eventName: 'REMOVE', oldImage: { ...job, status: 'SUCCEEDED' } } as ChangeRecord,
    ],
  ])('says nothing for %s', (_case, input) => {
    expect(jobEvents(input)).toEqual([])
  })
})

describe('photoEvents', () => {
  const item = {
    photoKey: 'photos/hello/p1.jpg',
    postSlug: 'hello',
    uploadedAt: '2026-12-02T10:00:00.000Z',
    uploadedBy: 'author-1',
    status: 'ready',
    width: 640,
    height: 480,
    processedAt: '2026-12-02T10:00:05.000Z',
    thumbnails: [
      { width: 256, height: 192, key: 'hello/p1-256.webp', contentType: 'image/webp' },
      { width: 128, height: 96, key: 'hello/p1-128.webp', contentType: 'image/webp' },
    ],
  }
  const change = (newImage: Record<string, unknown>, oldImage?: Record<string, unknown>): ChangeRecord => ({
    eventId: 'e3',
    eventName: 'MODIFY',
    newImage,
    ...(oldImage ? { oldImage } : {}),
  })

  it("a photo ready: photo.ready to the post's subscribers, the readers' view (thumbnails only)", () => {
    const [event] = photoEvents(change(item, { ...item, status: 'pending', processedAt: undefined }))
    expect(event).toEqual({
      audience: { topic: 'post:hello' },
      message: {
        type: 'photo.ready',
        id: 'e3',
        post: 'hello',
        photo: {
          photoKey: item.photoKey,
          status: 'ready',
          width: 640,
          height: 480,
          thumbnails: [
            { width: 128, url: '/media/thumbnails/hello/p1-128.webp', contentType: 'image/webp' },
            { width: 256, url: '/media/thumbnails/hello/p1-256.webp', contentType: 'image/webp' },
          ],
        },
      },
    })
    expect(JSON.stringify(event)).not.toContain('author-1')
  })

  it('a photo failed: photo.failed with its reason and words', () => {
    const failed = {
      ...item,
      status: 'failed',
      thumbnails: undefined,
      reason: 'not-an-image',
      reasonDetail: 'The file is not an image.',
    }
    expect(photoEvents(change(failed, { ...item, status: 'pending' }))[0]?.message).toMatchObject({
      type: 'photo.failed',
      photo: { status: 'failed', reason: 'not-an-image', reasonDetail: 'The file is not an image.' },
    })
  })

  it.each([
    ['a pending photo', change({ ...item, status: 'pending' })],
    ['the same result written again', change(item, item)],
  ])('says nothing for %s', (_case, input) => {
    expect(photoEvents(input)).toEqual([])
  })

  it('a replaced upload with a new result is news again', () => {
    expect(photoEvents(change(item, { ...item, processedAt: '2026-12-01T00:00:00.000Z' }))).toHaveLength(1)
  })
})
