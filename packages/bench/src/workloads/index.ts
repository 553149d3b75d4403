// Every workload the bench knows, in the order `pnpm bench` runs them.
import type { Workload } from '../workload.js'
import { dhtLookup } from './dht-lookup.js'
import { driveBigFile } from './drive-big-file.js'
import { driveColdOpen } from './drive-cold-open.js'
import { driveReaddir100k } from './drive-readdir-100k.js'
import { driveScale } from './drive-scale.js'
import { driveSmallFiles } from './drive-small-files.js'
import { driveSparseRange } from './drive-sparse-range.js'
import { hypercoreAppend } from './hypercore-append.js'
import { hypercoreReplicate } from './hypercore-replicate.js'
import { hypercoreSparseGet } from './hypercore-sparse-get.js'
import { protocolThroughput } from './protocol-throughput.js'
import { shareClone } from './share-clone.js'
import { swarmConnect } from './swarm-connect.js'
import { trieGet } from './trie-get.js'
import { trieIterate } from './trie-iterate.js'
import { trieList } from './trie-list.js'
import { triePut } from './trie-put.js'
import { trieRemoteGet } from './trie-remote-get.js'

export const WORKLOADS: readonly Workload[] = [
  hypercoreAppend,
  hypercoreReplicate,
  hypercoreSparseGet,
  protocolThroughput,
  triePut,
  trieGet,
  trieList,
  trieIterate,
  trieRemoteGet,
  driveSmallFiles,
  driveBigFile,
  driveSparseRange,
  driveReaddir100k,
  driveColdOpen,
  driveScale,
  dhtLookup,
  swarmConnect,
  shareClone,
]

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((workload) => workload.name === name)
}
