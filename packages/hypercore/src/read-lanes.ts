// Read-ahead for several sequential readers of one core at once: a peer downloading in lanes
// asks for up to 16 runs of blocks interleaved, and a local read stream may run beside them. Each
// lane (a run of consecutive block reads) gets its own window; one window would be refilled by
// every lane in turn and serve none of them.
import { DataWindow } from './data-window.js'

/** Lanes followed at once (a peer's default maxRequests is 16). */
const LANES = 16

export class ReadLanes {
  /** The last block each lane read (-2: free). */
  private readonly last = new Float64Array(LANES).fill(-2)
  private readonly windows: DataWindow[] = []
  /** Next lane to reuse when a read starts a new one (round robin). */
  private nextFree = 0

  /** The bytes [offset, offset + size) when any lane's window holds them (a view). */
  get(offset: number, size: number): Buffer | null {
    for (const window of this.windows) {
      const bytes = window.get(offset, size)
      if (bytes !== null) return bytes
    }
    return null
  }

  /**
   * Records a read of block `index`: the window of the lane it continues (the lane's second
   * block in a row, worth reading ahead for), or null when it starts a new lane.
   */
  follow(index: number): DataWindow | null {
    for (let lane = 0; lane < LANES; lane++) {
      if (this.last[lane] !== index - 1) continue
      this.last[lane] = index
      while (this.windows.length <= lane) this.windows.push(new DataWindow())
      return this.windows[lane]
    }
    this.last[this.nextFree] = index
    this.nextFree = (this.nextFree + 1) % LANES
    return null
  }

  /** Data was written or deleted: every window (and read in flight) may be stale. */
  invalidate(): void {
    for (const window of this.windows) window.invalidate()
  }
}
