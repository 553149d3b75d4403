// chmod, chown and utimes (FUSE's setattr): one Stat field changed, the rest and the node's flags
// kept; typed errors for bad values, missing paths and read-only drives.
import { describe, expect, it } from 'vitest'
import { Hyperdrive, Stat } from '../src/index.js'
import { drivesClosedAfterEach } from './helpers/drives.js'

const { newDrive } = drivesClosedAfterEach()

describe('chmod, chown, utimes', () => {
  it('change one field each, keeping the type, the content and the metadata', async () => {
    const drive = await newDrive()
    await drive.writeFile('/f', 'content', { mode: 0o100644, uid: 1, gid: 2 })
    await drive.setMetadata('/f', 'k', Buffer.from('v'))
    const before = await drive.stat('/f')

    await drive.chmod('/f', 0o600)
    await drive.chown('/f', 1000, -1)
    await drive.utimes('/f', 0, new Date('2020-05-01T00:00:00Z'))

    const st = await drive.stat('/f')
    expect(st.mode).toBe(Stat.IFREG | 0o600)
    expect([st.uid, st.gid]).toEqual([1000, 2])
    expect(st.mtime.toISOString()).toBe('2020-05-01T00:00:00.000Z')
    expect(st.ctime.getTime()).toBeGreaterThanOrEqual(before.ctime.getTime())
    expect([st.size, st.offset, st.blocks]).toEqual([before.size, before.offset, before.blocks])
    expect(st.metadata?.k).toEqual(Buffer.from('v'))
    expect((await drive.readFile('/f')).toString()).toBe('content')
  })

  it('keep a directory a directory and take seconds for times', async () => {
    const drive = await newDrive()
    await drive.mkdir('/d')
    await drive.chmod('/d', 0o700)
    await drive.utimes('/d', 1_600_000_000, 1_600_000_000)
    const st = await drive.stat('/d')
    expect(st.isDirectory()).toBe(true)
    expect(st.mode & 0o7777).toBe(0o700)
    expect(st.mtime.getTime()).toBe(1_600_000_000_000)
  })

  it('fail with EINVAL, ENOENT and EPERM', async () => {
    const drive = await newDrive()
    await drive.writeFile('/f', 'x')
    await expect(drive.chmod('/f', 0o10000)).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(drive.chmod('/f', -1)).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(drive.chown('/f', 1.5, 0)).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(drive.utimes('/f', 0, Number.NaN)).rejects.toMatchObject({ code: 'EINVAL' })
    await expect(drive.chmod('/missing', 0o644)).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(drive.checkout(drive.version).chmod('/f', 0o600)).rejects.toMatchObject({
      code: 'EPERM',
    })
    expect((await drive.stat('/f')).mode & 0o7777).toBe(0o644)
  })
})
