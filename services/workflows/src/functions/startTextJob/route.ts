import { TEXT_INLINE_LIMIT_BYTES, utf8Bytes } from '@app/domain/text'
import { httpRoute, PayloadTooLargeError } from '@app/runtime/http'
import { z } from 'zod'
import type { StartPorts, TextStore } from '../../ports'
import { startCallerJob } from '../../use-cases/jobs'

/** Lambda's synchronous payload limit is 6 MB; bigger texts are put in S3 by other means. */
export const MAX_TEXT_BODY_BYTES = 5 * 1024 * 1024

/**
 * Step Functions' cap on an execution's input: 256 KiB of the *encoded* JSON (UTF-8). An inline text
 * within its UTF-8 limit can still exceed it once escaped (a control character becomes `\u0001`,
 * six bytes), which StartExecution would refuse (a 500 here); such a request is a 413 instead.
 */
export const MAX_MACHINE_INPUT_BYTES = 256 * 1024

export const body = z.strictObject({
  text: z.string(),
  topN: z.number().int().min(1).max(100).optional(),
})

async function* once(text: string) {
  yield text
}

/** POST /workflows/text: 202 with the job id; texts above the inline limit go through `store` (S3). */
export const createRoute = (ports: StartPorts & { readonly store: TextStore }) =>
  httpRoute({ auth: true, schemas: { body }, maxBodyBytes: MAX_TEXT_BODY_BYTES }, async (request) => {
    const { text, topN } = request.body
    const owner = request.principal.sub
    const { jobId } = await startCallerJob(ports, 'text', owner, async (id) => {
      const input = {
        ...(topN ? { topN } : {}),
        source:
          utf8Bytes(text) <= TEXT_INLINE_LIMIT_BYTES
            ? { kind: 'inline', text }
            : await ports.store.write(`texts/inputs/${id}.txt`, once(text)),
      }
      // Measured as startJob sends it (job id and owner first), before any item or execution exists.
      if (utf8Bytes(JSON.stringify({ jobId: id, owner, ...input })) > MAX_MACHINE_INPUT_BYTES)
        throw new PayloadTooLargeError(
          `The encoded workflow input exceeds ${MAX_MACHINE_INPUT_BYTES} bytes; send fewer control characters`,
        )
      return input
    })
    const location = `/workflows/executions/${jobId}`
    return {
      status: 202,
      // A polling hint for the 202 (the pipelines take about a second): the document declares it.
      headers: { location, 'retry-after': '1' },
      body: { id: jobId, status: 'RUNNING', links: { self: location } },
    }
  })
