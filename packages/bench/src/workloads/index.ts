// Every workload the bench knows, in the order `pnpm bench` runs them.
import type { Workload } from '../workload.js'
import { hypercoreAppend } from './hypercore-append.js'

export const WORKLOADS: readonly Workload[] = [hypercoreAppend]

export function findWorkload(name: string): Workload | undefined {
  return WORKLOADS.find((workload) => workload.name === name)
}
