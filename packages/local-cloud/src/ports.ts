/**
 * Ports: fixed defaults for `pnpm dev` (so bookmarks and `.local/endpoints.json` stay put), free
 * ports for tests (so parallel runs never collide), and a clear message when a port is taken.
 */
import { createServer } from 'node:net'

export const defaultPorts = {
  dynamodb: 8000,
  s3: 4569,
  ses: 8005,
  cognito: 9229,
  /** Identity pools (src/standins/cognito-identity.ts). */
  cognitoIdentity: 9230,
  /** Served by services/workflows' wiring (aws-local-stepfunctions behind the Step Functions API). */
  stepFunctions: 8083,
  /** The AWS gateway in front of all stand-ins (IAM and SigV4 for local functions; LocalStack's edge port). */
  aws: 4566,
} as const

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly wantedBy: string,
  ) {
    super(
      `Port ${port} is already in use; ${wantedBy} needs it. ` +
        `Find what holds it with \`ss -ltnp 'sport = :${port}'\` and stop it (an earlier \`pnpm dev\` still running?).`,
    )
    this.name = 'PortInUseError'
  }
}

const tryListen = (port: number): Promise<number | undefined> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined)
      else reject(error)
    })
    // No host: Node listens dual-stack on `::`, which conflicts with a holder on 127.0.0.1 or ::1 too.
    server.listen(port, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.close(() => resolve(bound))
    })
  })

/** Throws a PortInUseError naming the port and the stand-in that wanted it. */
export const assertPortFree = async (port: number, wantedBy: string): Promise<void> => {
  if ((await tryListen(port)) === undefined) throw new PortInUseError(port, wantedBy)
}

// Ports handed out by this process: the OS may offer a just-released port again before its new
// owner binds it, so we never give the same one twice.
const handedOut = new Set<number>()

/** A port nothing listens on right now, chosen by the OS. */
export const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await tryListen(0)
    if (port !== undefined && !handedOut.has(port)) {
      handedOut.add(port)
      return port
    }
  }
  throw new Error('could not find a free port')
}
