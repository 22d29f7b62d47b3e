/** Small helpers shared by the specs. */
import { loopStats, timerStats } from '../lib/loop';

/** Lets the loop and the host run until nothing more happens in a few macrotask turns. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The host's live `setTimeout` timers (Node ≥ 17), or -1 where the host cannot tell. */
export function liveTimeouts(): number {
  const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  return typeof info === 'function' ? info().filter((r) => r === 'Timeout').length : -1;
}

/** Armed library timers and parked plain-code waiters: both 0 when nothing is left behind. */
export function leftovers(): { timers: number; parkedPlain: number } {
  return { timers: timerStats(), parkedPlain: loopStats().parkedPlain };
}

/** Resolves `fn()`'s rejection or throws if it resolves: for `await rejection(...)`. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
