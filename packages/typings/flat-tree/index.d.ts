// flat-tree: in-order indexes of a binary tree laid out in a flat list (hypercore's merkle tree).
declare module 'flat-tree' {
  export function index(depth: number, offset: number): number
  export function depth(index: number): number
  export function offset(index: number, depth?: number): number
  export function parent(index: number, depth?: number): number
  export function sibling(index: number, depth?: number): number
  export function uncle(index: number, depth?: number): number
  export function leftChild(index: number, depth?: number): number
  export function rightChild(index: number, depth?: number): number
  export function children(index: number, depth?: number): [number, number] | null
  export function leftSpan(index: number, depth?: number): number
  export function rightSpan(index: number, depth?: number): number
  export function spans(index: number, depth?: number): [number, number]
  export function count(index: number, depth?: number): number
  export function countLeaves(index: number): number
  export function fullRoots(index: number, result?: number[]): number[]
  export function nextLeaf(index: number): number

  export class Iterator {
    index: number
    offset: number
    factor: number
    constructor(index?: number)
    seek(index: number): void
    isLeft(): boolean
    isRight(): boolean
    contains(index: number): boolean
    prev(): number
    next(): number
    sibling(): number
    parent(): number
    leftSpan(): number
    rightSpan(): number
    leftChild(): number
    rightChild(): number
    nextTree(): number
    prevTree(): number
    fullRoot(index: number): boolean
  }
  export function iterator(index?: number): Iterator
}
