import { unsubscribeRequestSchema } from '@app/domain/subscribers'
import { httpRoute } from '@app/runtime/http'
import type { SubscribersRepository } from '../../ports'
import { unsubscribe } from '../../use-cases/subscribe'

/**
 * `POST /api/subscribers/unsubscribe` with the token of an email's link. A POST from the page's
 * button, not a GET on the link itself: mail scanners follow links and must not unsubscribe anyone.
 */
export const unsubscribeRoute = (deps: { subscribers: SubscribersRepository }) =>
  httpRoute(
    { auth: false, schemas: { body: unsubscribeRequestSchema }, maxBodyBytes: 1024 },
    async ({ body }) => {
      await unsubscribe(body.token, deps)
      return { status: 200, body: { status: 'unsubscribed' } }
    },
  )
