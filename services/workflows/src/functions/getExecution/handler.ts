import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import { createJobPorts } from '../../adapters/job-ports'
import { getJob } from '../../jobs/use-cases'

const ports = createJobPorts()

export const path = z.object({ id: z.uuid() })

/** GET /workflows/executions/{id}: status, and the result or the recorded error once finished. */
export const handler = httpRoute({ auth: true, schemas: { path } }, async (request) => ({
  status: 200,
  body: await getJob(ports, request.principal.sub, request.path.id),
  cacheControl: 'private, no-cache',
}))
