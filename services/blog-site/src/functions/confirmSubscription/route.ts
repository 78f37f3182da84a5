import { confirmRequestSchema, type SubscriptionTokens } from '@app/domain/subscribers'
import { httpRoute } from '@app/runtime/http'
import type { BehindCdn } from '../../api/http'
import type { Clock, SubscribersRepository } from '../../ports'
import { confirmSubscription } from '../../use-cases/subscribe'

/**
 * `POST /api/subscribers/confirm` with the token of a confirmation email's link, from the confirm
 * page's button (a POST: mail scanners GET links and must not confirm anyone). 200 once; a forged
 * token 400, an expired one 410, a gone subscription 404, a repeat 409.
 */
export const confirmSubscriptionRoute = (
  deps: {
    subscribers: SubscribersRepository
    clock: Clock
    tokens: SubscriptionTokens
  } & BehindCdn,
) =>
  httpRoute(
    { auth: false, origin: deps.origin, schemas: { body: confirmRequestSchema }, maxBodyBytes: 1024 },
    async ({ body }) => {
      await confirmSubscription(body.token, deps)
      return { status: 200, body: { status: 'confirmed' } }
    },
  )
