import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import { env } from '../../adapters/aws'
import { createJobPorts } from '../../adapters/job-ports'
import { startJob } from '../../jobs/use-cases'

const ports = createJobPorts()

export const body = z.strictObject({
  key: z
    .string()
    .min(8)
    .max(1024)
    .refine((key) => key.startsWith('photos/') && !key.includes('..'), 'must be a key under photos/'),
})

/** POST /workflows/photo: runs the photo pipeline on a blog photo (`photos/...` in the uploads bucket). */
export const handler = httpRoute({ auth: true, schemas: { body } }, async (request) => {
  const { jobId } = await startJob(ports, 'photo', request.principal.sub, async () => ({
    source: { bucket: env.UPLOADS_BUCKET, key: request.body.key },
  }))
  const location = `/workflows/executions/${jobId}`
  return {
    status: 202,
    headers: { location },
    body: { id: jobId, status: 'RUNNING', links: { self: location } },
  }
})
