export interface StandInOptions {
  port: number
  /** Persist data under this folder; without it the stand-in keeps data in memory or a temp dir. */
  dataDir?: string
  /** Receives the child's output lines (the dev CLI prints them; tests keep them for errors). */
  echo?: (line: string) => void
}

export interface RunningStandIn {
  readonly endpoint: string
  stop(): Promise<void>
}
