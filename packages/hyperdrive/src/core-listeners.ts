// One listener per core and event, fanning out to every subscriber: a replica running many reads
// at once (a clone's workers, a Promise.all over files) would otherwise add a listener per read
// and trip Node's leak warning past ten.
import type { DriveCore } from './drive-backend.js'

type Subscriber = (...args: never[]) => void

class Fanout {
  readonly subscribers = new Set<Subscriber>()
  readonly dispatch = (...args: never[]): void => {
    for (const subscriber of this.subscribers) subscriber(...args)
  }
}

const fanouts = new WeakMap<DriveCore, Map<string, Fanout>>()

/** Calls `subscriber` on each `event` of `core` until the returned function is called. */
export function subscribe(core: DriveCore, event: string, subscriber: Subscriber): () => void {
  let events = fanouts.get(core)
  if (events === undefined) {
    events = new Map()
    fanouts.set(core, events)
  }
  let fanout = events.get(event)
  if (fanout === undefined) {
    fanout = new Fanout()
    events.set(event, fanout)
    core.on(event, fanout.dispatch)
  }
  const joined = fanout
  joined.subscribers.add(subscriber)
  return () => {
    if (!joined.subscribers.delete(subscriber) || joined.subscribers.size > 0) return
    // The last one gone, the listener leaves the core.
    if (events.get(event) === joined) events.delete(event)
    core.removeListener(event, joined.dispatch)
  }
}
