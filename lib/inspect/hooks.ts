/**
 * Hooks: what the run loop and the channels tell whoever listens — Stackless's
 * `set_schedule_callback` and `set_channel_callback`, and the library's own observers
 * (trace, statistics, debug, watchdog, the Node entry's diagnostics channels).
 *
 * Cost when nobody listens: nothing on the hot path. The loop checks `S.watcher` only
 * on its rare paths (an unpark, going idle, a tasklet's end); it is `null` unless
 * someone listens, and then a dispatcher over the observers subscribed through
 * `observe`. Hand-offs are observed without any code in them: while someone listens,
 * `Channel.prototype`'s four operation methods (`offer`, `take`, `trySend`,
 * `tryReceive`), `Waiter.prototype.settle` (the loop resuming a party) and
 * `Tasklet.prototype._start` (a tasklet's first slice) are wrapped, and the originals
 * are put back when the last observer leaves — an unobserved program runs the very same
 * code as before this file existed. (A single `S.watcher` check in the loop's `next()`
 * measured +143 instructions per hand-off under callgrind — more than the check
 * itself: it made `next()` bigger.)
 *
 * The events, all synchronous and all from inside the library (an observer must not
 * call channel operations or touch the loop):
 *  - `resume(w, t)`: the loop settles waiter `w` — party `t` (a tasklet, `undefined` for
 *    plain code) resumes its next slice; for a tasklet's first slice, when it starts (in
 *    its own microtask, `w.op` is `Op.Start`). Whatever ran before has ended.
 *  - `channel(ch, sending, mayBlock)`: an operation begins on `ch`, before it looks at
 *    the channel; `mayBlock` is false for `trySend`/`tryReceive`. (Operations that fail
 *    at once — an aborted signal, a pending `kill()` — are not reported.)
 *  - `park(w, queue)`: that operation parked waiter `w` in `queue` (a channel's `sendq`
 *    or `recvq`). Reported as the operation returns, so after the loop has already
 *    moved on to the next party: use `channel` to learn, in order, that a slice ends.
 *  - `unpark(w)`: a parked waiter leaves its queue without a partner (abort, kill).
 *  - `idle()`: the loop has nothing to settle now (the slice in flight, if any, ended).
 *  - `end(t)`: tasklet `t` finished.
 */
import { Channel } from '../channel/channel';
import { callerTasklet, S } from '../core/loop';
import { Tasklet } from '../core/tasklet';
import { type Holder, Op, Waiter } from '../core/waiter';

/** @internal What the loop and the channel call while someone listens. */
export interface Watcher {
  resume(w: Waiter, t: Tasklet | undefined): void;
  park(w: Waiter, queue: Holder): void;
  unpark(w: Waiter): void;
  channel(ch: Channel<any>, sending: boolean, mayBlock: boolean): void;
  idle(): void;
  end(t: Tasklet): void;
}

type Event = keyof Watcher;
const EVENTS: readonly Event[] = ['resume', 'park', 'unpark', 'channel', 'idle', 'end'];

const observers: Partial<Watcher>[] = [];
/** Per event, the observers that handle it (rebuilt on every subscription change). */
let table: { [E in Event]: Watcher[E][] } = emptyTable();

function emptyTable(): { [E in Event]: Watcher[E][] } {
  return { resume: [], park: [], unpark: [], channel: [], idle: [], end: [] };
}

/** Calls `fn`, turning an observer's error into an unhandled rejection instead of breaking the loop. */
function guarded(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    void Promise.reject(e);
  }
}

const dispatcher: Watcher = {
  resume(w, t) {
    for (const f of table.resume) guarded(() => f(w, t));
  },
  park(w, queue) {
    for (const f of table.park) guarded(() => f(w, queue));
  },
  unpark(w) {
    for (const f of table.unpark) guarded(() => f(w));
  },
  channel(ch, sending, mayBlock) {
    for (const f of table.channel) guarded(() => f(ch, sending, mayBlock));
  },
  idle() {
    for (const f of table.idle) guarded(() => f());
  },
  end(t) {
    for (const f of table.end) guarded(() => f(t));
  },
};

function rebuild(): void {
  const t = emptyTable();
  for (const o of observers) for (const e of EVENTS) if (o[e] !== undefined) (t[e] as unknown[]).push((o[e] as Function).bind(o));
  table = t;
  S.watcher = observers.length === 0 ? null : dispatcher;
  if (observers.length === 0) unwrapChannel();
  else wrapChannel();
}

// ---------------------------------------------------------------------------------
// The channel's operations, wrapped only while someone listens.

type Operation = (this: Channel<any>, ...args: any[]) => any;
interface ChannelOperations {
  offer: Operation;
  take: Operation;
  trySend: Operation;
  tryReceive: Operation;
}
/** Read when needed, not at load: hooks.ts and channel.ts import each other. */
const prototype = (): ChannelOperations => Channel.prototype as unknown as ChannelOperations;
let originals: ChannelOperations | null = null;

/** The operation will fail at once without touching the channel: not reported. */
function failsAtOnce(signal: AbortSignal | undefined): boolean {
  if (signal !== undefined && signal.aborted) return true;
  const t = S.current;
  return S.pendingThrows !== 0 && t !== undefined && t._owesThrow;
}

/** Runs a blocking operation, telling `channel` before and `park` if it parked. */
function observed(ch: Channel<any>, sending: boolean, signal: AbortSignal | undefined, run: () => unknown): unknown {
  if (failsAtOnce(signal)) return run();
  dispatcher.channel(ch, sending, true);
  const tail = ch._newest(sending);
  const result = run();
  const w = ch._newest(sending);
  if (w !== tail && w !== null) dispatcher.park(w, ch);
  return result;
}

let settle: (() => void) | null = null;
let start: (() => void) | null = null;

function wrapChannel(): void {
  if (originals !== null) return;
  // The loop resuming a party: it settles the party's waiter (S.current is already that
  // party), or queues a new tasklet's first run.
  const waiterProto = Waiter.prototype;
  const taskletProto = Tasklet.prototype;
  const s = (settle = waiterProto._settle);
  const st = (start = taskletProto._start);
  waiterProto._settle = function (this: Waiter) {
    dispatcher.resume(this, S.current);
    s.call(this);
  };
  taskletProto._start = function (this: Tasklet) {
    if (this.alive) dispatcher.resume(this._op === Op.Start ? this : new Waiter(this, Op.Start, undefined), this);
    st.call(this);
  };
  const proto = prototype();
  const o: ChannelOperations = (originals = { offer: proto.offer, take: proto.take, trySend: proto.trySend, tryReceive: proto.tryReceive });
  proto.offer = function (item: unknown, signal: AbortSignal | undefined, where: string) {
    return observed(this, true, signal, () => o.offer.call(this, item, signal, where));
  };
  proto.take = function (op: unknown, signal: AbortSignal | undefined) {
    return observed(this, false, signal, () => o.take.call(this, op, signal));
  };
  proto.trySend = function (value: unknown) {
    dispatcher.channel(this, true, false);
    return o.trySend.call(this, value);
  };
  proto.tryReceive = function () {
    dispatcher.channel(this, false, false);
    return o.tryReceive.call(this);
  };
}

function unwrapChannel(): void {
  if (originals === null) return;
  Object.assign(prototype(), originals);
  Waiter.prototype._settle = settle!;
  Tasklet.prototype._start = start!;
  settle = start = null;
  originals = null;
}

/** @internal For specs: whether the channel's operations are wrapped now. */
export function channelWrapped(): boolean {
  return originals !== null;
}

/**
 * @internal Subscribes an observer to the loop's and the channels' events; returns the
 * function that unsubscribes it. While none is subscribed, nothing is called.
 */
export function observe(observer: Partial<Watcher>): () => void {
  observers.push(observer);
  rebuild();
  return () => {
    const i = observers.indexOf(observer);
    if (i < 0) return;
    observers.splice(i, 1);
    rebuild();
  };
}

/** @internal How many observers are subscribed (for specs: none must be left behind). */
export function observerCount(): number {
  return observers.length;
}

// ---------------------------------------------------------------------------------
// Stackless's callbacks.

/** Called each time the loop resumes a party: `prev` ran last, `next` runs now. */
export type ScheduleCallback = (prev: Tasklet | undefined, next: Tasklet | undefined) => void;
/** Called before every channel operation. */
export type ChannelCallback = (channel: Channel<any>, tasklet: Tasklet | undefined, sending: boolean, willBlock: boolean) => void;

let scheduleCallback: ScheduleCallback | null = null;
let unobserveSchedule: (() => void) | null = null;
let channelCallback: ChannelCallback | null = null;
let unobserveChannel: (() => void) | null = null;

/** The party whose slice the loop started last; `null` before the first or after idling. */
let lastResumed: Tasklet | undefined | null = null;

/**
 * Stackless's `set_schedule_callback`: `callback(prev, next)` is called each time the
 * loop switches to a party — `next` is the tasklet it resumes (`undefined` for plain
 * code), `prev` the one whose slice ran last (`undefined` for plain code, or when the
 * loop was idle). `null` removes it. Returns the previous callback. An error thrown by
 * the callback becomes an unhandled rejection; the loop goes on.
 *
 * Costs nothing while unset: the loop checks one field per switch.
 *
 * @example
 * ```ts
 * const switches: string[] = [];
 * setScheduleCallback((prev, next) => void switches.push(`${prev?.name ?? '-'} -> ${next?.name ?? 'plain code'}`));
 * tasklet(async () => {}, { name: 'a' })();
 * await run();
 * setScheduleCallback(null);
 * console.log(switches); // [ '- -> a', '- -> plain code' ] — the loop idled between the two
 * ```
 */
export function setScheduleCallback(callback: ScheduleCallback | null): ScheduleCallback | null {
  checkCallback('setScheduleCallback()', callback);
  const old = scheduleCallback;
  scheduleCallback = callback;
  if (unobserveSchedule !== null) unobserveSchedule();
  unobserveSchedule = null;
  if (callback !== null) {
    lastResumed = null;
    unobserveSchedule = observe({
      resume(_w, t) {
        const prev = lastResumed === null ? undefined : lastResumed;
        lastResumed = t;
        callback(prev, t);
      },
      idle() {
        if (!S.busy) lastResumed = null;
      },
    });
  }
  return old;
}

/**
 * The callback set by {@link setScheduleCallback}, or `null`.
 *
 * @example
 * ```ts
 * const previous = getScheduleCallback();
 * setScheduleCallback((prev, next) => console.log(`${prev ?? 'plain code'} -> ${next ?? 'plain code'}`));
 * setScheduleCallback(previous); // later: put back whatever was there
 * ```
 */
export function getScheduleCallback(): ScheduleCallback | null {
  return scheduleCallback;
}

/**
 * Stackless's `set_channel_callback`: `callback(channel, tasklet, sending, willBlock)`
 * is called before every channel operation (`send`, `receive`, `for await`, `trySend`,
 * `tryReceive`, `sendThrow`) — `tasklet` is the caller (`undefined` in plain code),
 * `willBlock` whether the operation is about to park (always `false` for the `try`
 * operations). `null` removes it. Returns the previous callback.
 *
 * Costs nothing while unset: each operation checks one field.
 *
 * @example
 * ```ts
 * setChannelCallback((ch, t, sending, willBlock) =>
 *   console.log(`${t?.name ?? 'plain'} ${sending ? 'sends on' : 'receives on'} ${ch.name}${willBlock ? ' (parks)' : ''}`));
 * ```
 */
export function setChannelCallback(callback: ChannelCallback | null): ChannelCallback | null {
  checkCallback('setChannelCallback()', callback);
  const old = channelCallback;
  channelCallback = callback;
  if (unobserveChannel !== null) unobserveChannel();
  unobserveChannel = null;
  if (callback !== null) {
    unobserveChannel = observe({
      channel(ch, sending, mayBlock) {
        callback(ch, callerTasklet(), sending, mayBlock && willPark(ch, sending));
      },
    });
  }
  return old;
}

/**
 * The callback set by {@link setChannelCallback}, or `null`.
 *
 * @example
 * ```ts
 * console.log(getChannelCallback()); // null
 * const log: ChannelCallback = (ch, _t, sending) => console.log(sending ? 'send' : 'receive', ch.name);
 * setChannelCallback(log);
 * console.log(getChannelCallback() === log); // true
 * setChannelCallback(null);
 * ```
 */
export function getChannelCallback(): ChannelCallback | null {
  return channelCallback;
}

function checkCallback(where: string, callback: unknown): void {
  if (callback !== null && typeof callback !== 'function') {
    throw new TypeError(`${where}: callback must be a function or null, received ${typeof callback}`);
  }
}

// ---------------------------------------------------------------------------------
// What an operation about to begin on a channel will do (read from its private state:
// observers only, never the hot path).

/** @internal A send (`sending`) or receive on `ch` would park now. */
export function willPark(ch: Channel<any>, sending: boolean): boolean {
  return sending ? !ch._canSend() : !ch._canReceive();
}

/**
 * @internal The parked partner an operation about to begin will complete at once, if any:
 * the oldest parked receiver for a send, the oldest parked sender for a receive (which,
 * on a full buffer, moves its value in and is woken).
 */
export function partnerOf(ch: Channel<any>, sending: boolean): Waiter | null {
  if (sending) return ch.closing ? null : ch._recvq;
  return ch._sendq;
}
