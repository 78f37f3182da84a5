import { ValidationError } from '@app/domain'
import {
  linkTokenSchema,
  oneClickUnsubscribeSchema,
  type SubscriptionTokens,
  unsubscribeRequestSchema,
} from '@app/domain/subscribers'
import { httpRoute } from '@app/runtime/http'
import { z } from 'zod'
import type { BehindCdn } from '../../api/http'
import type { SubscribersRepository } from '../../ports'
import { unsubscribe } from '../../use-cases/subscribe'

/**
 * `POST /api/subscribers/unsubscribe`, two ways: the unsubscribe page's button (JSON `{ token }`),
 * and RFC 8058 one-click from a mail client (form body `List-Unsubscribe=One-Click`, the token in
 * the `List-Unsubscribe` URL's query). Always a POST, never a GET on a link: mail scanners follow
 * links and must not unsubscribe anyone.
 */
export const unsubscribeRoute = (
  deps: { subscribers: SubscribersRepository; tokens: SubscriptionTokens } & BehindCdn,
) =>
  httpRoute(
    {
      auth: false,
      origin: deps.origin,
      acceptForm: true,
      schemas: {
        body: z.union([unsubscribeRequestSchema, oneClickUnsubscribeSchema]),
        query: z.strictObject({ token: linkTokenSchema.optional() }),
      },
      maxBodyBytes: 1024,
    },
    async ({ body, query }) => {
      if ('token' in body) await unsubscribe(body.token, deps)
      else if (query.token) await unsubscribe(query.token, deps, '/query/token')
      else
        throw new ValidationError('A one-click unsubscribe needs the token of its link', [
          { pointer: '/query/token', detail: 'required' },
        ])
      return { status: 200, body: { status: 'unsubscribed' } }
    },
  )
