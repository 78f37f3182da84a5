import { newSubscriber, type SubscribeOutcome, type SubscribeRequest } from '@app/domain/subscribers'
import type { Clock, SubscribersRepository } from '../ports'

/**
 * Subscribes an address once. The conditional write in the repository is what makes a repeat (a
 * double click, a retry, a second visit) a no-op: no second item, no second stream INSERT, so no
 * second welcome email.
 */
export const subscribe = async (
  request: SubscribeRequest,
  deps: { subscribers: SubscribersRepository; clock: Clock; randomToken: () => string },
): Promise<SubscribeOutcome> => {
  const subscriber = newSubscriber(request, { now: () => deps.clock.now(), randomToken: deps.randomToken })
  const created = await deps.subscribers.addIfAbsent(subscriber)
  return { subscriber, created }
}

/**
 * Ends a subscription from the link in an email. Unknown and already-used tokens get the same
 * answer as a success: the link is idempotent and says nothing about who is subscribed.
 */
export const unsubscribe = async (
  token: string,
  deps: { subscribers: SubscribersRepository },
): Promise<void> => {
  await deps.subscribers.removeByToken(token)
}
