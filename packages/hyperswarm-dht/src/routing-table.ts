// The Kademlia routing table: k-buckets indexed by the length of the prefix a contact shares with
// our id (the shape k-bucket@5's split-on-own-path tree ends up in), k = 20, least-recently-seen
// first, plus one recency order over all contacts (dht-rpc@4's time-ordered set).

import type { NodeAddress } from './addr.js'

export interface Contact extends NodeAddress {
  /** The last round-trip token this contact gave us. */
  roundtripToken: Buffer | null
  /** Our own address as this contact last reported it (addr6). */
  to: Buffer | null
  /** The node tick (5 s) in which we last heard from it. */
  tick: number
}

export type AddResult = 'added' | 'refreshed' | 'full'

export class RoutingTable {
  readonly id: Buffer
  readonly k: number
  private readonly buckets: Contact[][] = []
  // insertion order = recency: oldest first, re-added contacts move to the end
  private readonly byId = new Map<string, Contact>()
  // one contact per address: id hex by "host:port", and the address each id was filed under
  private readonly byAddress = new Map<string, string>()
  private readonly addressOf = new Map<string, string>()

  constructor(id: Buffer, k = 20) {
    this.id = id
    this.k = k
    for (let i = 0; i <= 256; i++) this.buckets.push([])
  }

  get size(): number {
    return this.byId.size
  }

  get(id: Uint8Array): Contact | undefined {
    return this.byId.get(Buffer.from(id.buffer, id.byteOffset, id.length).toString('hex'))
  }

  /** The contact filed under this address, if any (a node has one id per address). */
  atAddress(host: string, port: number): Contact | undefined {
    const key = this.byAddress.get(`${host}:${port}`)
    return key === undefined ? undefined : this.byId.get(key)
  }

  has(contact: Contact): boolean {
    return this.byId.get(contact.id.toString('hex')) === contact
  }

  /**
   * Adds or refreshes a contact. 'full' means its bucket holds k others: the caller may ping the
   * least-recently-seen ones (`bucketOf`) and `replace` one that does not answer.
   */
  add(contact: Contact): AddResult {
    if (contact.id.equals(this.id)) return 'refreshed'
    const key = contact.id.toString('hex')
    const bucket = this.buckets[this.bucketIndex(contact.id)]
    const existing = this.byId.get(key)
    if (existing) {
      const i = bucket.indexOf(existing)
      if (i !== -1) bucket.splice(i, 1)
      bucket.push(contact)
      this.byId.delete(key)
      this.byId.set(key, contact)
      this.fileAddress(key, contact)
      return 'refreshed'
    }
    if (bucket.length >= this.k) return 'full'
    bucket.push(contact)
    this.byId.set(key, contact)
    this.fileAddress(key, contact)
    return 'added'
  }

  remove(id: Uint8Array): Contact | null {
    const contact = this.get(id)
    if (!contact) return null
    const bucket = this.buckets[this.bucketIndex(contact.id)]
    const i = bucket.indexOf(contact)
    if (i !== -1) bucket.splice(i, 1)
    const key = contact.id.toString('hex')
    this.byId.delete(key)
    const addr = this.addressOf.get(key)
    if (addr !== undefined && this.byAddress.get(addr) === key) this.byAddress.delete(addr)
    this.addressOf.delete(key)
    return contact
  }

  private fileAddress(key: string, contact: Contact): void {
    const addr = `${contact.host}:${contact.port}`
    const old = this.addressOf.get(key)
    if (old === addr) return
    if (old !== undefined && this.byAddress.get(old) === key) this.byAddress.delete(old)
    this.addressOf.set(key, addr)
    this.byAddress.set(addr, key)
  }

  /** The least-recently-seen contacts of the bucket `id` falls into. */
  bucketOf(id: Uint8Array, n: number): Contact[] {
    return this.buckets[this.bucketIndex(id)].slice(0, n)
  }

  /** Contacts, least recently seen first. */
  oldest(n: number): Contact[] {
    const out: Contact[] = []
    for (const c of this.byId.values()) {
      if (out.length >= n) break
      out.push(c)
    }
    return out
  }

  /** Contacts, most recently seen first. */
  latest(n: number): Contact[] {
    const all = [...this.byId.values()]
    return all.slice(Math.max(0, all.length - n)).reverse()
  }

  all(): Contact[] {
    return [...this.byId.values()]
  }

  /**
   * The n contacts closest to `target` by exact XOR. Buckets are visited in distance order
   * (the target's own bucket, then every deeper one, then shallower ones downwards) and we stop
   * once n contacts are gathered, so a lookup touches only a few buckets.
   */
  closest(target: Uint8Array, n: number): Contact[] {
    const b = this.bucketIndex(target)
    const picked: Contact[] = [...this.buckets[b]]
    if (picked.length < n) for (let i = b + 1; i <= 256; i++) picked.push(...this.buckets[i])
    for (let i = b - 1; i >= 0 && picked.length < n; i--) picked.push(...this.buckets[i])
    picked.sort((x, y) => compareDistance(target, x.id, y.id))
    return picked.length > n ? picked.slice(0, n) : picked
  }

  /**
   * Our address as the 10 most recently seen contacts that reported one agree on it (dht-rpc@4's
   * tally): the most frequent `to` wins when at least 3 agree and fewer than 3 disagree. With
   * `onlyIp` ports are ignored (the result keeps the first matching `to`).
   */
  tallyTo(onlyIp: boolean): Buffer | null {
    const hits = new Map<string, number>()
    let result: Buffer | null = null
    let good = 0
    let count = 0
    const all = [...this.byId.values()]
    for (let i = all.length - 1; i >= 0 && count < 10; i--) {
      const to = all[i].to
      if (!to || to.length !== 6) continue
      const key = onlyIp ? to.subarray(0, 4).toString('hex') : to.toString('hex')
      const h = (hits.get(key) ?? 0) + 1
      hits.set(key, h)
      if (h > good) {
        good = h
        result = to
      }
      count++
    }
    return good >= 3 && count - good < 3 ? result : null
  }

  private bucketIndex(id: Uint8Array): number {
    return commonPrefixBits(this.id, id)
  }
}

/** Leading bits a and b share (256 when equal). */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  const len = Math.min(a.length, b.length)
  for (let i = 0; i < len; i++) {
    const x = a[i] ^ b[i]
    if (x !== 0) return i * 8 + Math.clz32(x) - 24
  }
  return len * 8
}

/** Negative when a is closer to target than b (exact byte-wise XOR). */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = target[i] ^ a[i]
    const db = target[i] ^ b[i]
    if (da !== db) return da - db
  }
  return 0
}
