// Counters a node keeps about its traffic: what it sent and received, and what it dropped and why.

export interface DHTStats {
  /** Datagrams sent, by kind (retries and holepunch relays included). */
  sent: { queries: number; updates: number; responses: number; holepunches: number; bytes: number }
  /** Datagrams received and accepted, by kind. */
  received: { queries: number; updates: number; responses: number; bytes: number }
  /** Datagrams that did not decode (or had a non-32-byte id): dropped. */
  malformed: number
  /** Datagrams above `maxPacketSize`: dropped before decoding. */
  oversized: number
  /** Requests dropped because the sender exceeded its per-second allowance. */
  rateLimited: number
  /** UPDATEs dropped for a missing or wrong round-trip token. */
  badToken: number
  /** Responses that matched no request in flight (late, duplicate or spoofed). */
  unmatched: number
  /** Resends after a silent tick. */
  retries: number
  /** Requests that failed after all retries. */
  timeouts: number
  /** Iterative queries started (lookup, announce, bootstrap, puts and gets). */
  queries: number
}

export function createStats(): DHTStats {
  return {
    sent: { queries: 0, updates: 0, responses: 0, holepunches: 0, bytes: 0 },
    received: { queries: 0, updates: 0, responses: 0, bytes: 0 },
    malformed: 0,
    oversized: 0,
    rateLimited: 0,
    badToken: 0,
    unmatched: 0,
    retries: 0,
    timeouts: 0,
    queries: 0,
  }
}
