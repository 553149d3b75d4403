// Property test: random filesystem operations on a drive agree with an in-memory model (a map
// of path -> node), at the latest version and at every earlier version through checkout.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Hyperdrive } from '../src/index.js'
import { memoryStorage } from './helpers/hyperstack-backend.js'

type ModelNode = { type: 'file'; data: string } | { type: 'dir' } | { type: 'link'; target: string }
type Model = Map<string, ModelNode>

type Op =
  | { op: 'write'; path: string; data: string }
  | { op: 'mkdir'; path: string }
  | { op: 'unlink'; path: string }
  | { op: 'symlink'; target: string; path: string }

const name = fc.constantFrom('a', 'b', 'c')
const pathArb = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('write' as const),
      path: pathArb,
      data: fc.string({ maxLength: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('mkdir' as const), path: pathArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('unlink' as const), path: pathArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('symlink' as const), target: pathArb, path: pathArb }),
  },
)

/** Applies `op` to the model; returns the error code the drive must give, or null. */
function applyToModel(model: Model, op: Op): string | null {
  switch (op.op) {
    case 'write': {
      const existing = model.get(op.path)
      if (existing?.type === 'dir') return 'EISDIR'
      model.set(op.path, { type: 'file', data: op.data })
      return null
    }
    case 'mkdir':
      if (model.has(op.path)) return 'EEXIST'
      model.set(op.path, { type: 'dir' })
      return null
    case 'unlink':
      if (!model.has(op.path)) return 'ENOENT'
      model.delete(op.path)
      return null
    case 'symlink':
      if (model.has(op.path)) return 'EEXIST'
      model.set(op.path, { type: 'link', target: op.target })
      return null
  }
}

async function applyToDrive(drive: Hyperdrive, op: Op): Promise<string | null> {
  try {
    if (op.op === 'write') await drive.writeFile(op.path, op.data)
    else if (op.op === 'mkdir') await drive.mkdir(op.path)
    else if (op.op === 'unlink') await drive.unlink(op.path)
    else await drive.symlink(op.target, op.path)
    return null
  } catch (err) {
    return (err as { code?: string }).code ?? 'UNKNOWN'
  }
}

/** What a read of `path` gives in the model: file contents after following links, or null. */
function modelRead(model: Model, path: string): string | null {
  let p = path
  for (let i = 0; i < 10; i++) {
    const n = model.get(p)
    if (!n) return null
    if (n.type === 'file') return n.data
    if (n.type === 'dir') return null
    p = n.target
  }
  return null
}

async function checkAgainst(drive: Hyperdrive, model: Model): Promise<void> {
  const listed = (await drive.readdir('/', { recursive: true, noMounts: true })) as string[]
  // Recursive listings leave out links that lead nowhere (or into a loop), as the original.
  const expected = [...model.entries()].map(([p]) => p.slice(1))
  const withoutLinkExpansion = listed.filter((p) => model.has(`/${p}`))
  expect([...new Set(withoutLinkExpansion)].sort()).toEqual(
    expected
      .filter((p) => {
        const n = model.get(`/${p}`)!
        if (n.type !== 'link') return true
        // a link to a link to nothing is also dropped; keep only links whose chain ends in a node
        return resolvesToNode(model, `/${p}`)
      })
      .sort(),
  )
  const top = new Set([...model.keys()].map((p) => p.split('/')[1]))
  expect([...new Set(await drive.readdir('/'))].sort()).toEqual([...top].sort())
  for (const [p, n] of model) {
    const want = modelRead(model, p)
    if (want !== null) expect(await drive.readFile(p, 'utf-8')).toBe(want)
    const st = await drive.lstat(p)
    expect(st.isDirectory()).toBe(n.type === 'dir')
    expect(st.isSymbolicLink()).toBe(n.type === 'link')
  }
}

function resolvesToNode(model: Model, path: string): boolean {
  let p = path
  for (let i = 0; i < 40; i++) {
    const n = model.get(p)
    // A path with nodes below it is an (implicit) directory the link can point at.
    if (!n) return [...model.keys()].some((k) => k.startsWith(`${p}/`))
    if (n.type !== 'link') return true
    p = n.target
  }
  return false
}

describe('drive vs model filesystem', () => {
  it('agrees after random operations, at every version through checkout', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const drive = new Hyperdrive(memoryStorage())
        try {
          await drive.ready()
          const model: Model = new Map()
          const snapshots: { version: number; model: Model }[] = []
          for (const op of ops) {
            const want = applyToModel(model, op)
            const got = await applyToDrive(drive, op)
            expect(got).toBe(want)
            snapshots.push({ version: drive.version, model: new Map(model) })
          }
          await checkAgainst(drive, model)
          for (const snap of snapshots) {
            const old = drive.checkout(snap.version)
            await checkAgainst(old, snap.model)
            await expect(old.writeFile('/z', 'no')).rejects.toMatchObject({ code: 'EPERM' })
          }
        } finally {
          await drive.close()
        }
      }),
      { numRuns: 25 },
    )
  })
})
