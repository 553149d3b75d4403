// What users type: drive keys and bootstrap lists are parsed or refused with a clear message.
import { describe, expect, it } from 'vitest'
import { parseBootstrapList } from '../src/bootstrap-option.js'
import { formatDriveUrl, parseDriveAddress } from '../src/drive-key.js'
import { EXIT, UserError } from '../src/user-error.js'

const KEY = 'ab'.repeat(32)

describe('parseDriveAddress', () => {
  it('accepts 64 hex characters in either case', () => {
    expect(parseDriveAddress(KEY.toUpperCase()).key.toString('hex')).toBe(KEY)
    expect(parseDriveAddress(KEY).path).toBe('/')
  })

  it('accepts a hyper:// URL with or without a path', () => {
    expect(parseDriveAddress(`hyper://${KEY}`).key.toString('hex')).toBe(KEY)
    expect(parseDriveAddress(`hyper://${KEY}/docs/a.txt`).path).toBe('/docs/a.txt')
    expect(formatDriveUrl(Buffer.from(KEY, 'hex'))).toBe(`hyper://${KEY}`)
  })

  it.each(['', 'abc', KEY.slice(2), `${KEY}00`, `zz${KEY.slice(2)}`, 'hyper://nothex'])(
    'refuses %j with a usage error',
    (input) => {
      let caught: unknown
      try {
        parseDriveAddress(input)
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(UserError)
      expect((caught as UserError).exitCode).toBe(EXIT.usage)
      expect((caught as UserError).message).toMatch(/64 hex characters/)
    },
  )
})

describe('parseBootstrapList', () => {
  it('is empty without the option: no public default', () => {
    expect(parseBootstrapList(undefined)).toEqual([])
  })

  it('parses host:port pairs', () => {
    expect(parseBootstrapList('127.0.0.1:49737, localhost:1')).toEqual([
      { host: '127.0.0.1', port: 49737 },
      { host: 'localhost', port: 1 },
    ])
  })

  it.each(['127.0.0.1', ':80', 'host:0', 'host:70000', 'host:x'])('refuses %j', (value) => {
    expect(() => parseBootstrapList(value)).toThrow(/--bootstrap host:port/)
  })
})
