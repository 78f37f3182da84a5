import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import type { AwsEnv } from '../config'

/**
 * Exponential back-off with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog):
 * a random delay in [0, min(cap, base * 2^attempt)]. The SDK's standard strategy already jitters,
 * but its base is fixed; ours is explicit so throttling tests can reason about it.
 */
export const backoffWithFullJitter =
  (baseMs = 50, capMs = 5_000, random: () => number = Math.random) =>
  (attempt: number): number =>
    Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt))

export const retryStrategy = (env: Pick<AwsEnv, 'AWS_MAX_ATTEMPTS'>) =>
  new ConfiguredRetryStrategy(env.AWS_MAX_ATTEMPTS, backoffWithFullJitter())

/** Region, retry strategy and (local stand-in) endpoint every client of this repo shares. */
export const commonClientConfig = (env: AwsEnv, endpoint: string | undefined) => ({
  region: env.AWS_REGION,
  retryStrategy: retryStrategy(env),
  ...(endpoint ? { endpoint } : {}),
})
