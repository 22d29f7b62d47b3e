/**
 * Per-channel statistics, recorded only for the channels asked for (Trio's
 * `statistics()`, with counters). Off — the rule — they cost nothing: the counting is
 * an observer (lib/inspect/bus.ts), subscribed while at least one channel records.
 *
 * What is counted, from `recordStatistics(ch)` on:
 *  - `valuesPassed`: values that left the channel to a receiver (`receive`, `for await`,
 *    `tryReceive`), `sendThrow` errors included; end-of-channel is not a value.
 *  - `peakBuffer`: the most values the buffer held at once.
 *  - `parked`: operations that parked, as senders and as receivers; `cancelled`: parked
 *    operations that left without a partner (aborted, killed).
 *  - `parkedMs`: total time parked operations waited, from parking until the loop
 *    resumed them (or they were cancelled), as senders and as receivers.
 */
import { now } from '../base/clock';
import type { Channel } from '../channel/channel';
import { ChannelClosedError } from '../base/errors';
import { observe } from './bus';
import { holderOf, Op, sends, type Waiter } from '../core/waiter';

/** What {@link statistics} returns (a frozen copy). */
export interface ChannelStatistics {
  /** Values that left the channel to a receiver, `sendThrow` errors included; end-of-channel is not a value. */
  readonly valuesPassed: number;
  /** The most values the buffer held at once. */
  readonly peakBuffer: number;
  /** Operations that parked. */
  readonly parked: {
    /** Sends (and select send cases) that parked. */
    readonly senders: number;
    /** Receives (and select receive cases) that parked. */
    readonly receivers: number;
  };
  /** Parked operations that left without a partner (aborted, killed). */
  readonly cancelled: number;
  /** Total time parked operations waited, in milliseconds, from parking until the loop resumed them or they were cancelled. */
  readonly parkedMs: {
    /** Time parked senders waited. */
    readonly senders: number;
    /** Time parked receivers waited. */
    readonly receivers: number;
  };
}

interface Counters {
  valuesPassed: number;
  peakBuffer: number;
  parkedSenders: number;
  parkedReceivers: number;
  cancelled: number;
  sendersMs: number;
  receiversMs: number;
}

const recording = new WeakMap<Channel<any>, Counters>();
let recordingCount = 0;
/** Parked waiters of recorded channels: when they parked, where, on which side. */
const parkedAt = new WeakMap<Waiter, { ch: Channel<any>; since: number; receiving: boolean }>();
let unobserve: (() => void) | null = null;

/**
 * Starts (or with `on: false`, stops) recording statistics for `channel`; counters
 * start at zero. Read them with {@link statistics}.
 *
 * @example
 * ```ts
 * const jobs = new Channel<number>({ capacity: 10, name: 'jobs' });
 * recordStatistics(jobs);
 * await jobs.sendSequence([1, 2, 3]);
 * for (let i = 0; i < 3; i++) await jobs.receive();
 * console.log(statistics(jobs)?.valuesPassed, statistics(jobs)?.peakBuffer); // 3 3
 * recordStatistics(jobs, false);
 * ```
 */
export function recordStatistics(channel: Channel<any>, on = true): void {
  if (channel === null || typeof channel !== 'object' || !('_sendq' in channel)) {
    throw new TypeError(`recordStatistics(): channel must be a Channel, received ${typeof channel}`);
  }
  if (on && !recording.has(channel)) {
    recording.set(channel, { valuesPassed: 0, peakBuffer: channel.length, parkedSenders: 0, parkedReceivers: 0, cancelled: 0, sendersMs: 0, receiversMs: 0 });
    recordingCount++;
  } else if (!on && recording.delete(channel)) {
    recordingCount--;
  }
  if (recordingCount > 0 && unobserve === null) unobserve = observe(counting);
  else if (recordingCount === 0 && unobserve !== null) {
    unobserve();
    unobserve = null;
  }
}

/**
 * The statistics of `channel` since `recordStatistics(channel)`, as a frozen copy, or
 * `undefined` if it does not record them.
 *
 * @example
 * ```ts
 * const ch = new Channel<string>({ name: 'mail' });
 * recordStatistics(ch);
 * tasklet(async () => ch.send('hi'))();
 * await ch.receive();
 * console.log(statistics(ch)?.parked); // { senders: 0, receivers: 1 } — plain code parked first
 * recordStatistics(ch, false);
 * console.log(statistics(ch)); // undefined
 * ```
 */
export function statistics(channel: Channel<any>): ChannelStatistics | undefined {
  const c = recording.get(channel);
  if (c === undefined) return undefined;
  return Object.freeze({
    valuesPassed: c.valuesPassed,
    peakBuffer: c.peakBuffer,
    parked: Object.freeze({ senders: c.parkedSenders, receivers: c.parkedReceivers }),
    cancelled: c.cancelled,
    parkedMs: Object.freeze({ senders: c.sendersMs, receivers: c.receiversMs }),
  });
}

const counting = {
  channel(ch: Channel<any>, sending: boolean): void {
    const c = recording.get(ch);
    if (c === undefined) return;
    if (sending) {
      if (ch.closing || ch._recvq !== null || ch.capacity === 0) return;
      const after = Math.min(ch.length + 1, ch.capacity);
      if (after > c.peakBuffer) c.peakBuffer = after;
    } else if (ch.length !== 0 || ch._sendq !== null) {
      c.valuesPassed++;
    }
  },
  park(w: Waiter): void {
    const holder = holderOf(w) as Channel<any>;
    const c = recording.get(holder);
    if (c === undefined) return;
    const receiving = !sends(w._op);
    if (receiving) c.parkedReceivers++;
    else c.parkedSenders++;
    parkedAt.set(w, { ch: holder, since: now(), receiving });
  },
  unpark(w: Waiter): void {
    const p = parkedAt.get(w);
    if (p === undefined) return;
    parkedAt.delete(w);
    const c = recording.get(p.ch);
    if (c === undefined) return;
    c.cancelled++;
    addTime(c, p.receiving, now() - p.since);
  },
  resume(w: Waiter): void {
    const p = parkedAt.get(w);
    if (p === undefined) return;
    parkedAt.delete(w);
    const c = recording.get(p.ch);
    if (c === undefined) return;
    addTime(c, p.receiving, now() - p.since);
    if (p.receiving && !endOfChannel(w)) c.valuesPassed++;
  },
};

function addTime(c: Counters, receiving: boolean, ms: number): void {
  if (receiving) c.receiversMs += ms;
  else c.sendersMs += ms;
}

/** A parked receiver that `close()` completed got end-of-channel, not a value. */
function endOfChannel(w: Waiter): boolean {
  if (w._failed) return w._value instanceof ChannelClosedError;
  return w._op === Op.Iterate && (w._value as IteratorResult<unknown>).done === true;
}
