// fast-check generators for every message input, and the decoded form each must produce.
import fc from 'fast-check'

const uint = fc.oneof(fc.nat(300), fc.nat(), fc.maxSafeNat())
const bytes = (maxLength = 48) => fc.uint8Array({ maxLength }).map((u) => Buffer.from(u))
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })

export interface Case {
  name: string
  input: Record<string, unknown>
  decoded: Record<string, unknown>
}

const dflt = <T>(v: T | undefined, d: T): T => (v === undefined ? d : v)

export const openCase = fc
  .record({ discoveryKey: bytes(), capability: opt(bytes()) })
  .map((m) => ({ name: 'Open', input: m, decoded: { ...m, capability: dflt(m.capability, null) } }))

export const optionsCase = fc
  .record({ extensions: opt(fc.array(fc.string(), { maxLength: 5 })), ack: opt(fc.boolean()) })
  .map((m) => ({
    name: 'Options',
    input: m,
    decoded: { extensions: dflt(m.extensions, []), ack: dflt(m.ack, false) },
  }))

export const statusCase = fc
  .record({ uploading: opt(fc.boolean()), downloading: opt(fc.boolean()) })
  .map((m) => ({
    name: 'Status',
    input: m,
    decoded: { uploading: dflt(m.uploading, false), downloading: dflt(m.downloading, false) },
  }))

export const haveCase = fc
  .record({ start: uint, length: opt(uint), bitfield: opt(bytes()), ack: opt(fc.boolean()) })
  .map((m) => ({
    name: 'Have',
    input: m,
    decoded: {
      start: m.start,
      length: dflt(m.length, 1),
      bitfield: dflt(m.bitfield, null),
      ack: dflt(m.ack, false),
    },
  }))

const rangeCase = (name: string, defaultLength: number) =>
  fc.record({ start: uint, length: opt(uint) }).map((m) => ({
    name,
    input: m,
    decoded: { start: m.start, length: dflt(m.length, defaultLength) },
  }))
export const unhaveCase = rangeCase('Unhave', 1)
export const wantCase = rangeCase('Want', 0)
export const unwantCase = rangeCase('Unwant', 0)

export const requestCase = fc
  .record({ index: uint, bytes: opt(uint), hash: opt(fc.boolean()), nodes: opt(uint) })
  .map((m) => ({
    name: 'Request',
    input: m,
    decoded: {
      index: m.index,
      bytes: dflt(m.bytes, 0),
      hash: dflt(m.hash, false),
      nodes: dflt(m.nodes, 0),
    },
  }))

export const cancelCase = fc
  .record({ index: uint, bytes: opt(uint), hash: opt(fc.boolean()) })
  .map((m) => ({
    name: 'Cancel',
    input: m,
    decoded: { index: m.index, bytes: dflt(m.bytes, 0), hash: dflt(m.hash, false) },
  }))

const node = fc.record({ index: uint, hash: bytes(32), size: uint })
export const dataCase = fc
  .record({
    index: uint,
    value: opt(fc.oneof(bytes(64), bytes(9000))),
    nodes: opt(fc.array(node, { maxLength: 4 })),
    signature: opt(bytes(64)),
  })
  .map((m) => ({
    name: 'Data',
    input: m,
    decoded: {
      index: m.index,
      value: dflt(m.value, null),
      nodes: dflt(m.nodes, []),
      signature: dflt(m.signature, null),
    },
  }))

export const closeCase = fc.record({ discoveryKey: opt(bytes()) }).map((m) => ({
  name: 'Close',
  input: m,
  decoded: { discoveryKey: dflt(m.discoveryKey, null) },
}))

export const ALL_CASES: fc.Arbitrary<Case>[] = [
  openCase,
  optionsCase,
  statusCase,
  haveCase,
  unhaveCase,
  wantCase,
  unwantCase,
  requestCase,
  cancelCase,
  dataCase,
  closeCase,
]
