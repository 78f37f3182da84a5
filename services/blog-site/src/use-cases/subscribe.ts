import { ConflictError, NotFoundError } from '@app/domain'
import {
  newSubscriber,
  type SubscribeOutcome,
  type SubscribeRequest,
  type SubscriptionTokens,
} from '@app/domain/subscribers'
import type { Clock, SubscribersRepository } from '../ports'

/** How long a pending subscription waits for its confirmation, and how often it may ask again. */
export interface ConfirmationPolicy {
  /** The pending item's TTL (`expiresAt`) and its link's expiry, from the last confirmation asked. */
  readonly pendingTtlSeconds: number
  /** A repeat within this long after the last confirmation email sends none (no mail-bombing). */
  readonly cooldownSeconds: number
}

/**
 * Subscribes an address, double opt-in: a new address is stored `pending` (with its TTL), which
 * makes the mailer send one confirmation email; nothing else is ever sent to it until confirmed.
 * A repeat for a pending address asks for a new confirmation email only once the cool-down since
 * the last one is over; a repeat for a confirmed one changes nothing. The conditional writes make
 * concurrent repeats one effect.
 */
export const subscribe = async (
  request: SubscribeRequest,
  deps: {
    subscribers: SubscribersRepository
    clock: Clock
    newId: () => string
    policy: ConfirmationPolicy
  },
): Promise<SubscribeOutcome> => {
  const now = deps.clock.now()
  const subscriber = newSubscriber(
    request,
    { now: () => now, newId: deps.newId },
    deps.policy.pendingTtlSeconds,
  )
  if (await deps.subscribers.addIfAbsent(subscriber)) return { email: subscriber.email, effect: 'created' }
  const existing = await deps.subscribers.get(subscriber.email)
  const cooledDown =
    existing?.status === 'pending' &&
    Date.parse(existing.lastConfirmationAt) + deps.policy.cooldownSeconds * 1000 <= now.getTime()
  if (!existing || !cooledDown) return { email: subscriber.email, effect: 'nothing' }
  const renewed = await deps.subscribers.renewConfirmation(
    existing.email,
    existing.confirmationRound,
    now,
    Math.floor(now.getTime() / 1000) + deps.policy.pendingTtlSeconds,
  )
  return { email: subscriber.email, effect: renewed ? 'confirmation-resent' : 'nothing' }
}

/**
 * Confirms a subscription from the token of its confirmation email: 400 if the token is forged,
 * 410 once it expired, 404 when the subscription is gone (expired, unsubscribed), 409 when it was
 * already confirmed. The welcome email follows from the stream (welcome-mailer).
 */
export const confirmSubscription = async (
  token: string,
  deps: { subscribers: SubscribersRepository; clock: Clock; tokens: SubscriptionTokens },
): Promise<void> => {
  const now = deps.clock.now()
  const { subscriberId } = deps.tokens.verifyConfirmation(token, now)
  const outcome = await deps.subscribers.confirm(subscriberId, now)
  if (outcome === 'already-confirmed') throw new ConflictError('This subscription is already confirmed')
  if (outcome === 'not-found')
    throw new NotFoundError('No pending subscription for this link: it expired or was cancelled')
}

/**
 * Ends a subscription from the signed token of an email's link (the page's button, or a mail
 * client's RFC 8058 one-click POST): the subscriber item is deleted, so the address is forgotten.
 * A forged token is a 400; an unknown or already-used one gets the same answer as a success: the
 * link is idempotent and says nothing about who is subscribed.
 */
export const unsubscribe = async (
  token: string,
  deps: { subscribers: SubscribersRepository; tokens: SubscriptionTokens },
  pointer?: string,
): Promise<void> => {
  await deps.subscribers.removeById(deps.tokens.verifyUnsubscribe(token, pointer))
}
