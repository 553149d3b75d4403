// fs-style errors carry Node's code, errno and the path.
import { describe, expect, it } from 'vitest'
import {
  DirectoryNotEmptyError,
  FileNotFoundError,
  type HyperdriveFsError,
  InvalidPermissionError,
  IsDirectoryError,
  NotDirectoryError,
  PathAlreadyExistsError,
  TooManySymlinksError,
} from '../src/index.js'

describe('fs errors', () => {
  it('have the codes and errnos of Node fs', () => {
    const cases: [HyperdriveFsError, string, number][] = [
      [new FileNotFoundError('/a'), 'ENOENT', 2],
      [new PathAlreadyExistsError('/a'), 'EEXIST', 17],
      [new DirectoryNotEmptyError('/a'), 'ENOTEMPTY', 39],
      [new IsDirectoryError('/a'), 'EISDIR', 21],
      [new NotDirectoryError('/a'), 'ENOTDIR', 20],
      [new InvalidPermissionError('read-only', '/a'), 'EPERM', 1],
      [new TooManySymlinksError('/a'), 'ELOOP', 40],
    ]
    for (const [err, code, errno] of cases) {
      expect(err).toBeInstanceOf(Error)
      expect(err.code).toBe(code)
      expect(err.errno).toBe(errno)
      expect(err.path).toBe('/a')
    }
    expect(new FileNotFoundError('/x').message).toBe("No such file or directory: '/x'.")
  })
})
