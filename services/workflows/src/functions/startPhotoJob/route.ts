import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import type { StartPorts } from '../../ports'
import { startCallerJob } from '../../use-cases/jobs'

export const body = z.strictObject({
  key: z
    .string()
    .min(8)
    .max(1024)
    .refine((key) => key.startsWith('photos/') && !key.includes('..'), 'must be a key under photos/'),
})

/** POST /workflows/photo: runs the photo pipeline on a blog photo (`photos/...` in `uploadsBucket`). */
export const createRoute = (ports: StartPorts, options: { uploadsBucket: string }) =>
  httpRoute({ auth: true, schemas: { body } }, async (request) => {
    const { jobId } = await startCallerJob(ports, 'photo', request.principal.sub, async () => ({
      source: { bucket: options.uploadsBucket, key: request.body.key },
    }))
    const location = `/workflows/executions/${jobId}`
    return {
      status: 202,
      // A polling hint for the 202 (the pipelines take about a second): the document declares it.
      headers: { location, 'retry-after': '1' },
      body: { id: jobId, status: 'RUNNING', links: { self: location } },
    }
  })
