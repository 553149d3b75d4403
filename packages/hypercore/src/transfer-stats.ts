// Bytes and blocks moved to and from peers, per peer and per core (hypercore@9's `stats`, which a
// daemon shows as a drive's network activity).

export interface TransferStats {
  uploadedBytes: number
  uploadedBlocks: number
  downloadedBytes: number
  downloadedBlocks: number
}

/** `core.stats`: one entry per connected peer, in `core.peers` order, and the core's totals. */
export interface CoreStats {
  peers: TransferStats[]
  totals: TransferStats
}

export function newTransferStats(): TransferStats {
  return { uploadedBytes: 0, uploadedBlocks: 0, downloadedBytes: 0, downloadedBlocks: 0 }
}

export function countUpload(stats: TransferStats | null, bytes: number): void {
  if (stats === null) return
  stats.uploadedBlocks++
  stats.uploadedBytes += bytes
}

export function countDownload(stats: TransferStats | null, bytes: number): void {
  if (stats === null) return
  stats.downloadedBlocks++
  stats.downloadedBytes += bytes
}
