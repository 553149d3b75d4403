// Every workload the bench knows, in the order `pnpm bench` runs them.
import type { Workload } from '../workload.js'
import { hypercoreAppend } from './hypercore-append.js'
import { hypercoreReplicate } from './hypercore-replicate.js'
import { hypercoreSparseGet } from './hypercore-sparse-get.js'
import { protocolThroughput } from './protocol-throughput.js'
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
]

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((workload) => workload.name === name)
}
