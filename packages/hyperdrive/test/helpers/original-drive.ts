// hyperdrive@10 for interop tests: its `promises` API, typed by what the tests use.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export interface OriginalStat {
  mode: number
  size: number
  blocks: number
  offset: number
  byteOffset: number
  linkname: string | null
  mount: { key: Buffer; hypercore: boolean } | null
  metadata: Record<string, Buffer | null> | null
  mtime: Date
  isDirectory(): boolean
  isFile(): boolean
  isSymbolicLink(): boolean
}

export interface OriginalDrivePromises {
  ready(): Promise<void>
  close(): Promise<void>
  writeFile(path: string, data: string | Buffer, opts?: object): Promise<void>
  readFile(path: string, opts?: object | string): Promise<Buffer | string>
  readdir(path: string, opts?: object): Promise<string[]>
  stat(path: string): Promise<OriginalStat>
  lstat(path: string): Promise<OriginalStat>
  mkdir(path: string): Promise<void>
  symlink(target: string, path: string): Promise<void>
  readlink(path: string): Promise<string>
  unlink(path: string): Promise<void>
  mount(path: string, key: Buffer, opts?: object): Promise<void>
  createTag(name: string, version?: number): Promise<void>
  getTaggedVersion(name: string): Promise<number | null>
  getAllTags(): Promise<Map<string, number> | []>
  setMetadata(path: string, key: string, value: Buffer): Promise<void>
  checkout(version: number): OriginalDrivePromises
  version: number
}

export interface OriginalDrive {
  promises: OriginalDrivePromises
  key: Buffer
  discoveryKey: Buffer
  version: number
  corestore: unknown
  metadata: { length: number }
  replicate(isInitiator: boolean, opts?: object): NodeJS.ReadWriteStream & { destroy(): void }
  getContent(cb: (err: Error | null, core: { length: number; byteLength: number }) => void): void
  on(event: string, fn: (...args: never[]) => void): unknown
}

type OriginalHyperdrive = (storage: unknown, key?: Buffer | null, opts?: object) => OriginalDrive
export const originalHyperdrive = require('hyperdrive') as OriginalHyperdrive

export async function openOriginal(
  storage: unknown,
  key?: Buffer | null,
  opts?: object,
): Promise<OriginalDrive> {
  const drive = originalHyperdrive(storage, key ?? null, opts ?? {})
  await drive.promises.ready()
  return drive
}
