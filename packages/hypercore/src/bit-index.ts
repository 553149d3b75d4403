// Bit indexes of blocks and tree nodes reach past 2^31 (a core of a billion blocks, or a
// hostile peer's request), where `n >> 3` wraps around to small numbers: 2^40 >> 3 is 0.

/** The byte holding bit `n`, exact for every safe integer. */
export function byteOf(n: number): number {
  // (exact: dividing by a power of two loses nothing; about 1 ns, as the shift)
  return Math.floor(n / 8)
}
