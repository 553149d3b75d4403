// The replicator as a core sees it: what the core tells it as blocks come and go.

/** What the replicator needs from the core, and what the core tells it. */
export interface CoreReplicator {
  /** New local blocks [start, start + length): tell peers (Have). */
  announce(start: number, length: number, from?: unknown): void
  /** Blocks removed locally: tell peers (Unhave). */
  unannounce(start: number, length: number): void
  /** Something new is wanted (get/download/update): schedule requests. */
  update(): void
  close(): void
}
