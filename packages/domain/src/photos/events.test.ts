import { describe, expect, it } from 'vitest'
import { MalformedMessageError, parsePhotoUploadMessage } from './events'

const event = (key: string, overrides: Record<string, unknown> = {}) => ({
  Records: [
    {
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'uploads' },
        object: { key, size: 3, eTag: '"0123456789abcdef0123456789abcdef"', sequencer: '0a1b', ...overrides },
      },
    },
  ],
})
const envelope = (message: unknown) =>
  JSON.stringify({ Type: 'Notification', Message: JSON.stringify(message) })

describe('parsePhotoUploadMessage', () => {
  const upload = {
    bucket: 'uploads',
    key: 'photos/my post/é.jpg',
    etag: '0123456789abcdef0123456789abcdef',
    size: 3,
    sequencer: '00000000000000000000000000000A1B',
  }

  it('reads an S3 event through the SNS envelope or raw, key decoded, ETag unquoted, sequencer normalised', () => {
    expect(parsePhotoUploadMessage(envelope(event('photos/my+post/%C3%A9.jpg')))).toEqual([upload])
    expect(parsePhotoUploadMessage(JSON.stringify(event('photos/my+post/%C3%A9.jpg')))).toEqual([upload])
  })

  it("announces nothing for S3's test event", () => {
    expect(parsePhotoUploadMessage(envelope({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([])
  })

  it.each([
    ['not JSON', 'nope'],
    ['an envelope whose message is not JSON', JSON.stringify({ Type: 'Notification', Message: '{' })],
    ['another event', envelope({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete' }] })],
    ['no records', envelope({ Records: [] })],
    ['a bad ETag', envelope(event('photos/a.jpg', { eTag: 'x' }))],
    ['an undecodable key', envelope(event('photos/%E0%A4%A.jpg'))],
  ])('refuses %s as malformed', (_what, body) => {
    expect(() => parsePhotoUploadMessage(body)).toThrow(MalformedMessageError)
  })
})
