// The typed shapes of every wire message, with the field names of hypercore-protocol@8's schema.
// Decoded messages have every field filled (defaults as the original's decoder fills them);
// the *Input shapes are what send methods accept: optional fields are written only when set,
// and zero/false values ARE written, as the original encoder does.

/** Frame types (the low 4 bits of a frame header). */
export const MessageType = {
  Open: 0,
  Options: 1,
  Status: 2,
  Have: 3,
  Unhave: 4,
  Want: 5,
  Unwant: 6,
  Request: 7,
  Cancel: 8,
  Data: 9,
  Close: 10,
  Extension: 15,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

export interface NoisePayload {
  nonce: Buffer
}

/** type 0: opens a channel for the feed whose discovery key is given. */
export interface Open {
  discoveryKey: Buffer
  capability: Buffer | null
}
export interface OpenInput {
  discoveryKey: Uint8Array
  capability?: Uint8Array | null
}

/** type 1: extension names (sorted) and whether Data should be acknowledged. */
export interface Options {
  extensions: string[]
  ack: boolean
}
export interface OptionsInput {
  extensions?: string[] | null
  ack?: boolean | null
}

/** type 2: whether the sender uploads / downloads. */
export interface Status {
  uploading: boolean
  downloading: boolean
}
export interface StatusInput {
  uploading?: boolean | null
  downloading?: boolean | null
}

/** type 3: blocks the sender has (`length` defaults to 1 when absent). */
export interface Have {
  start: number
  length: number
  bitfield: Buffer | null
  ack: boolean
}
export interface HaveInput {
  start: number
  length?: number | null
  bitfield?: Uint8Array | null
  ack?: boolean | null
}

/** type 4: blocks the sender no longer has (`length` defaults to 1 when absent). */
export interface Unhave {
  start: number
  length: number
}
export interface UnhaveInput {
  start: number
  length?: number | null
}

/** type 5: a range the sender wants Have messages for (`length` 0 when absent). */
export interface Want {
  start: number
  length: number
}
export interface WantInput {
  start: number
  length?: number | null
}

/** type 6: a range the sender no longer wants. */
export type Unwant = Want
export type UnwantInput = WantInput

/** type 7: asks for a block (or, with `bytes`, the block holding that byte offset). */
export interface Request {
  index: number
  bytes: number
  hash: boolean
  nodes: number
}
export interface RequestInput {
  index: number
  bytes?: number | null
  hash?: boolean | null
  nodes?: number | null
}

/** type 8: cancels a request. */
export interface Cancel {
  index: number
  bytes: number
  hash: boolean
}
export interface CancelInput {
  index: number
  bytes?: number | null
  hash?: boolean | null
}

/** One merkle tree node in a Data proof. */
export interface DataNode {
  index: number
  hash: Buffer
  size: number
}
export interface DataNodeInput {
  index: number
  hash: Uint8Array
  size: number
}

/** type 9: a block (or hash-only answer when `value` is null) with its proof. */
export interface Data {
  index: number
  value: Buffer | null
  nodes: DataNode[]
  signature: Buffer | null
}
export interface DataInput {
  index: number
  value?: Uint8Array | null
  nodes?: DataNodeInput[] | null
  signature?: Uint8Array | null
}

/** type 10: closes a channel; `discoveryKey` only when refusing a channel never opened. */
export interface Close {
  discoveryKey: Buffer | null
}
export interface CloseInput {
  discoveryKey?: Uint8Array | null
}

/** type 15: varint(id) ‖ payload; the id is the sender's index in its sorted name list. */
export interface Extension {
  id: number
  message: Buffer
}
