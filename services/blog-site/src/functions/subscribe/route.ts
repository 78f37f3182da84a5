import { subscribeRequestSchema } from '@app/domain/subscribers'
import { httpRoute } from '@app/runtime/http'
import type { Clock, SubscribersRepository } from '../../ports'
import { subscribe } from '../../use-cases/subscribe'

/**
 * `POST /api/subscribers`. A new and a repeated address get the same 202 and body: the welcome
 * email goes out asynchronously, and the answer must not tell a stranger who is subscribed.
 */
export const subscribeRoute = (deps: {
  subscribers: SubscribersRepository
  clock: Clock
  randomToken: () => string
}) =>
  httpRoute(
    { auth: false, schemas: { body: subscribeRequestSchema }, maxBodyBytes: 2048 },
    async ({ body }) => {
      const { subscriber } = await subscribe(body, deps)
      return { status: 202, body: { email: subscriber.email, status: 'subscribed' } }
    },
  )
