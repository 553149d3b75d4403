// The machine line every bench run prints: measured, not assumed, and stated in both forms.
import { describe, expect, it } from 'vitest'
import { describeMachine, machineJsonLine, measureMachine } from '../src/machine.js'

describe('machine costs', () => {
  it('measures a first and a second touch of fresh pages and reports both', () => {
    const costs = measureMachine(4 * 1024 * 1024)
    expect(costs.cores).toBeGreaterThanOrEqual(1)
    expect(costs.freshPageMicros).toBeGreaterThan(0)
    expect(costs.warmPageMicros).toBeGreaterThan(0)
    const line = JSON.parse(machineJsonLine(costs)) as { machine: Record<string, number> }
    expect(Object.keys(line.machine).sort()).toEqual(['cores', 'freshPageMicros', 'warmPageMicros'])
  })

  it('states the cost per fresh MiB', () => {
    const text = describeMachine({ cores: 2, freshPageMicros: 40, warmPageMicros: 0.05 })
    expect(text).toBe(
      'machine: 2 cores; first touch of a 4 KiB page 40.0 us (10.2 ms per fresh MiB), again 0.05 us',
    )
  })
})
