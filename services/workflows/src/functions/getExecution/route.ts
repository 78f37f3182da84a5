import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import type { JobPorts } from '../../ports'
import { getJob } from '../../use-cases/jobs'

export const path = z.object({ id: z.uuid() })

/** GET /workflows/executions/{id}: status, and the result or the recorded error once finished. */
export const createRoute = (ports: Pick<JobPorts, 'jobs' | 'starter'>) =>
  httpRoute({ auth: true, schemas: { path } }, async (request) => ({
    status: 200,
    body: await getJob(ports, request.principal.sub, request.path.id),
    cacheControl: 'private, no-cache',
  }))
