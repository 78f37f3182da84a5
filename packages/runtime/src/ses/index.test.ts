import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SendEmailCommand } from '@aws-sdk/client-sesv2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSesClient } from './index'

/** An in-process stand-in that answers every request with a retryable 500 and counts them. */
let requests = 0
const server = createServer((request, response) => {
  requests++
  request.resume()
  response.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' })
  response.end(JSON.stringify({ message: 'internal failure' }))
})

beforeAll(async () => {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
})
afterAll(() => server.close())

describe('createSesClient', () => {
  it('sends SendEmail once: an SDK retry after a lost answer could mail twice', async () => {
    const { port } = server.address() as AddressInfo
    const client = createSesClient({
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: 4,
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${port}`,
    })
    Object.assign(client.config, { credentials: async () => ({ accessKeyId: 'x', secretAccessKey: 'y' }) })
    await expect(
      client.send(
        new SendEmailCommand({
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: ['b@example.com'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    ).rejects.toThrow()
    expect(requests).toBe(1)
    client.destroy()
  })
})
