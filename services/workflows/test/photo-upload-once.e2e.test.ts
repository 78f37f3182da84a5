/**
 * One presigned URL makes one object, and so one pipeline run: an author gets a photo upload
 * through the blog (the local edge, blog-site's real function and role), PUTs it, and PUTs again
 * with the same URL within its lifetime. The URL signs `If-None-Match: *` (an S3 conditional write)
 * and the local AWS gateway enforces it as S3 does: the second PUT is a 412, the object keeps its
 * first bytes, and the photo machine ran once. "Once" is read after a later upload's run: the local
 * queue delivers in order, one batch at a time, so by then any run of the second PUT would exist.
 */
import { blogApiClient } from '@app/clients'
import { photo } from '@app/images/fixtures'
import { localClients } from '@app/local-cloud/clients'
import { localCloud, signUpAndSignIn } from '@app/local-cloud/testing'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, stepFunctions } from './support'

const cloud = localCloud()
let author: string

const machineArn = () => {
  const config = cloud.services.find((service) => service.name === 'workflows')?.config as
    | { stepFunctions: { stateMachines: Record<string, { name: string }> } }
    | undefined
  const name = config?.stepFunctions.stateMachines.photoPipeline?.name
  if (!name) throw new Error('workflows: no photo machine in this run')
  return `arn:aws:states:${cloud.region}:000000000000:stateMachine:${name}`
}
const executionsOf = async (key: string) =>
  (await stepFunctions(cloud).executions(machineArn())).filter(
    (execution) => (execution.input.source as { key?: string } | undefined)?.key === key,
  )

beforeAll(async () => {
  author = (await signUpAndSignIn(cloud, 'photo-author', ['authors'])).accessToken
})

const blog = () => blogApiClient({ baseUrl: String(cloud.endpoints.blogSite), token: author })

/** A presigned upload for a photo of `slug`, from the blog API through the site. */
const ticketFor = async (slug: string, bytes: Buffer) => {
  const { data, error } = await blog().POST('/api/posts/{slug}/photos', {
    params: { path: { slug } },
    body: { contentType: 'image/jpeg', contentLength: bytes.length },
  })
  if (!data) throw new Error(`no upload ticket: ${JSON.stringify(error)}`)
  return data
}

/** The PUT a browser sends: the ticket's headers (fetch sets content-length itself). */
const put = (ticket: Awaited<ReturnType<typeof ticketFor>>, bytes: Buffer) => {
  const { 'content-length': _length, ...headers } = ticket.upload.headers
  return fetch(ticket.upload.url, { method: ticket.upload.method, headers, body: new Uint8Array(bytes) })
}

const ranFor = (key: string) =>
  eventually(
    `a run of the photo machine for ${key}`,
    () => executionsOf(key),
    (found) => found.length > 0,
    { within: 60_000, every: 200 },
  )

describe('a presigned photo URL', () => {
  it('makes one object: a second PUT with it is a 412, and the pipeline runs once', async () => {
    const slug = `once-${crypto.randomUUID().slice(0, 8)}`
    const created = await blog().POST('/api/posts', {
      body: { slug, title: 'One upload', summary: 'One URL, one object', body: 'A paragraph.' },
    })
    expect(created.response.status, JSON.stringify(created.error)).toBe(201)
    const first = await photo(320, 240, 'jpeg')
    const ticket = await ticketFor(slug, first)
    expect(ticket.upload.headers['if-none-match']).toBe('*')

    expect((await put(ticket, first)).status).toBe(200)
    await ranFor(ticket.photoKey)

    // Same length (it is signed), other bytes: refused before anything is stored.
    const second = Buffer.from(first.map((byte) => byte ^ 0xff))
    const again = await put(ticket, second)
    const text = await again.text()
    expect(again.status, text).toBe(412)
    expect(text).toContain('<Code>PreconditionFailed</Code>')

    const stored = await localClients(cloud).s3.send(
      new GetObjectCommand({
        Bucket: String(cloud.outputs['blog-site']?.UploadsBucketName),
        Key: ticket.photoKey,
      }),
    )
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(first)

    const later = await ticketFor(slug, first)
    expect((await put(later, first)).status).toBe(200)
    await ranFor(later.photoKey)
    expect(await executionsOf(ticket.photoKey)).toHaveLength(1)
  })
})
