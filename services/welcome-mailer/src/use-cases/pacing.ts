/**
 * A token bucket by reservation: each call takes one token and says how long to wait before using
 * it, so concurrent callers never exceed `ratePerSecond` on average nor `burst` at once. Pure: the
 * caller passes the time and does the waiting.
 */
export interface TokenBucket {
  /** Takes a token at `nowMs`; resolves how many ms to wait before the send it pays for. */
  reserve(nowMs: number): number
}

export const tokenBucket = ({
  ratePerSecond,
  burst,
}: {
  ratePerSecond: number
  burst: number
}): TokenBucket => {
  if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1')
  let tokens = burst
  let last: number | undefined
  return {
    reserve(nowMs) {
      if (last !== undefined) tokens = Math.min(burst, tokens + ((nowMs - last) * ratePerSecond) / 1000)
      last = nowMs
      tokens -= 1
      return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / ratePerSecond)
    },
  }
}
