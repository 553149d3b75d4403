// What the record commands (peers, immutable, mutable) need from the node: its id, the shared
// value store, and a way to run an iterative query.

import type { PeerAddress } from './addr.js'
import type { Message } from './messages/message.js'
import type { Query, QueryResult, QuerySpec } from './query.js'
import type { ValueStore } from './value-store.js'

export interface StoredMutable {
  value: Buffer
  signature: Buffer
  seq: number
  salt: Buffer | null
}

export type StoredValue = Buffer | StoredMutable

export interface RunningQuery {
  query: Query
  done: Promise<QueryResult>
}

export type QueryRequest = Omit<QuerySpec, 'k' | 'concurrency'> & { k?: number }

export interface CommandHost {
  readonly id: Buffer
  readonly store: ValueStore<StoredValue>
  /** Binds if needed, then starts the query. */
  startQuery(spec: QueryRequest): Promise<RunningQuery>
}

/** One served request of a command, after token and target checks. */
export interface CommandRequest {
  type: 'query' | 'update'
  message: Message
  target: Buffer
  from: PeerAddress
  /** Answers: an error string (with optional proof value) or a success value. */
  reply(error: string | null, value: Buffer | null): void
}
