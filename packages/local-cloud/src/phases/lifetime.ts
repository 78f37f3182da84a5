/**
 * What a start has brought up, to be stopped in reverse order: each phase hands its stops here as
 * soon as a thing exists, so a failure later (or in a parallel phase) still stops it.
 */
export interface Lifetime {
  /** Registers a stop; once the lifetime has ended, the thing is stopped at once instead. */
  add(stop: () => Promise<void>): void
  /** Stops everything, last started first; a failed stop is logged, the rest still run. */
  end(): Promise<void>
  readonly ended: boolean
}

export const lifetime = (log: (line: string) => void): Lifetime => {
  const stops: (() => Promise<void>)[] = []
  let ended = false
  return {
    get ended() {
      return ended
    },
    add(stop) {
      if (ended) void stop().catch((error) => log(`stop failed: ${String(error)}`))
      else stops.push(stop)
    },
    async end() {
      ended = true
      // Reverse start order: wiring before the servers it talks to.
      for (const stop of stops.splice(0).reverse())
        await stop().catch((error) => log(`stop failed: ${String(error)}`))
    },
  }
}
