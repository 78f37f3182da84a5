import { subscribeRequestSchema } from '@app/domain/subscribers'
import { httpRoute } from '@app/runtime/http'
import type { BehindCdn } from '../../api/http'
import type { Clock, SubscribersRepository } from '../../ports'
import { type ConfirmationPolicy, subscribe } from '../../use-cases/subscribe'

/**
 * `POST /api/subscribers`. A new, a pending and a confirmed address get the same 202 and body: the
 * confirmation email (double opt-in) goes out asynchronously, and the answer must not tell a
 * stranger who is subscribed.
 */
export const subscribeRoute = (
  deps: {
    subscribers: SubscribersRepository
    clock: Clock
    newId: () => string
    policy: ConfirmationPolicy
  } & BehindCdn,
) =>
  httpRoute(
    { auth: false, origin: deps.origin, schemas: { body: subscribeRequestSchema }, maxBodyBytes: 2048 },
    async ({ body }) => {
      const { email } = await subscribe(body, deps)
      return { status: 202, body: { email, status: 'pending' } }
    },
  )
