import { TEXT_INLINE_LIMIT_BYTES, utf8Bytes } from '@app/domain/text'
import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import { env, s3 } from '../../adapters/aws'
import { createJobPorts } from '../../adapters/job-ports'
import { createS3TextStore } from '../../adapters/s3-text-store'
import { startJob } from '../../jobs/use-cases'

const ports = createJobPorts()
const store = createS3TextStore(s3, env.DATA_BUCKET)

/** Lambda's synchronous payload limit is 6 MB; bigger texts are put in S3 by other means. */
export const MAX_TEXT_BODY_BYTES = 5 * 1024 * 1024

export const body = z.strictObject({
  text: z.string(),
  topN: z.number().int().min(1).max(100).optional(),
})

async function* once(text: string) {
  yield text
}

/** POST /workflows/text: 202 with the job id; texts above the inline limit go through S3. */
export const handler = httpRoute(
  { auth: true, schemas: { body }, maxBodyBytes: MAX_TEXT_BODY_BYTES },
  async (request) => {
    const { text, topN } = request.body
    const { jobId } = await startJob(ports, 'text', request.principal.sub, async (id) => ({
      ...(topN ? { topN } : {}),
      source:
        utf8Bytes(text) <= TEXT_INLINE_LIMIT_BYTES
          ? { kind: 'inline', text }
          : await store.write(`texts/inputs/${id}.txt`, once(text)),
    }))
    const location = `/workflows/executions/${jobId}`
    return {
      status: 202,
      headers: { location },
      body: { id: jobId, status: 'RUNNING', links: { self: location } },
    }
  },
)
