/**
 * The uncooperative-tasklet watchdog — Stackless's `run(timeout)` in JavaScript terms.
 *
 * Stackless can interrupt a tasklet that runs too long; JavaScript cannot preempt a
 * function. What it can do is measure: while the watchdog is on, the time from the
 * moment the loop resumes a tasklet until its slice ends (it parks, yields, finishes,
 * or the loop moves on after it awaited something outside the library) is compared with
 * the limit, and every slice longer than it is reported — after the fact, naming the
 * tasklet and what it did when it finally let go.
 *
 * Off, it costs nothing: it is an observer (lib/inspect/bus.ts), subscribed only while on.
 */
import { now } from '../base/clock';
import type { Channel } from '../channel/channel';
import { observe } from './bus';
import { partyOf, type PartyInfo } from '../run/report';
import type { Tasklet } from '../core/tasklet';
import { checkOptions, show } from '../base/validate';
import type { Waiter } from '../core/waiter';

/** A slice longer than the limit. */
export interface Overrun {
  /** The tasklet that held the loop (plain code, with `plain: true`). */
  tasklet: PartyInfo;
  /** How long its slice lasted, in milliseconds. */
  ms: number;
  /** The limit in force. */
  limit: number;
  /** How the slice ended: `parked on channel "x"`, `finished`, or `yielded or waited outside`. */
  ended: string;
}

/** Options of {@link startWatchdog}. */
export interface WatchdogOptions {
  /** The longest slice allowed, in milliseconds. */
  slice: number;
  /** Called for each slice that lasted longer; by default a `console.warn` line. */
  onOverrun?: (overrun: Overrun) => void;
  /** Watch plain code's slices too (default `false`: only tasklets). */
  plain?: boolean;
}

function warn(o: Overrun): void {
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(
    `tasklets: ${o.tasklet.label} held the loop for ${o.ms.toFixed(1)} ms (limit ${o.limit} ms) before it ${o.ended}`,
  );
}

/**
 * Reports every slice longer than `options.slice` milliseconds. Returns the function
 * that stops it.
 *
 * @example
 * ```ts
 * const stop = startWatchdog({ slice: 50 }); // warns: tasklet "parser" (#3) held the loop for 212.4 ms ...
 * await run();
 * stop();
 * ```
 */
export function startWatchdog(options: WatchdogOptions): () => void {
  const o = checkOptions('startWatchdog()', options, ['slice', 'onOverrun', 'plain']);
  const limit = o?.slice;
  if (typeof limit !== 'number' || !(limit >= 0) || limit === Infinity) {
    throw new RangeError(`startWatchdog(): option "slice" must be a non-negative number of milliseconds, received ${show(limit)}`);
  }
  const onOverrun = (o?.onOverrun ?? warn) as (overrun: Overrun) => void;
  if (typeof onOverrun !== 'function') throw new TypeError(`startWatchdog(): option "onOverrun" must be a function, received ${show(onOverrun)}`);
  const plain = o?.plain === true;
  let current: { t: Tasklet | undefined; since: number; ended: string } | null = null;
  const close = (): void => {
    const c = current;
    if (c === null) return;
    current = null;
    const ms = now() - c.since;
    if (ms > limit && (c.t !== undefined || plain)) onOverrun({ tasklet: partyOf(c.t), ms, limit, ended: c.ended });
  };
  return observe({
    resume(_w: Waiter, t: Tasklet | undefined) {
      close();
      current = { t, since: now(), ended: 'yielded or waited outside' };
    },
    channel(ch: Channel<any>, sending: boolean, mayBlock: boolean) {
      if (current !== null && mayBlock && ch._wouldPark(sending)) current.ended = `parked on ${ch}`;
    },
    end(t: Tasklet) {
      if (current !== null && current.t === t) current.ended = 'finished';
    },
    idle: close,
  });
}
