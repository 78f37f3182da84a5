import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { assertPortFree, freePort, PortInUseError } from './ports'
import { startS3 } from './standins/s3'

const occupy = async () => {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('no address')
  return { port: address.port, close: () => new Promise((resolve) => server.close(resolve)) }
}

describe('ports', () => {
  it('names the port and the stand-in that wanted it when the port is taken', async () => {
    const held = await occupy()
    try {
      await expect(assertPortFree(held.port, 'DynamoDB Local')).rejects.toThrow(PortInUseError)
      await expect(startS3({ port: held.port })).rejects.toThrow(
        `Port ${held.port} is already in use; s3rver (S3) needs it.`,
      )
    } finally {
      await held.close()
    }
    await expect(assertPortFree(held.port, 'DynamoDB Local')).resolves.toBeUndefined()
  })

  it('hands out free ports, never the same one twice in a process', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()))
    expect(new Set(ports).size).toBe(20)
    for (const port of ports) await expect(assertPortFree(port, 'test')).resolves.toBeUndefined()
  })
})
