/**
 * The observer bus: what the run loop and the channels tell whoever listens — the
 * library's own observers (trace, statistics, debug, watchdog, the Stackless callbacks of
 * lib/inspect/callbacks.ts, the Node entry's diagnostics channels) subscribe here with
 * `observe()`.
 *
 * Cost when nobody listens: nothing on the hot path. The loop checks `S.watcher` only
 * on its rare paths (an unpark, going idle, a tasklet's end); it is `null` unless
 * someone listens, and then a dispatcher over the observers subscribed through
 * `observe`. Hand-offs are observed without any code in them: while someone listens
 * (lib/inspect/wrap.ts),
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
import type { Channel } from '../channel/channel';
import { S } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import type { LoopWatcher } from '../core/types';
import type { Holder, Waiter } from '../core/waiter';
import { unwrap, wrap } from './wrap';

/**
 * @internal Every event an observer can hear: the loop's own (`LoopWatcher`, which the
 * loop declares) and those the wrapped prototype methods report.
 */
export interface Watcher extends LoopWatcher {
  resume(w: Waiter, t: Tasklet | undefined): void;
  park(w: Waiter, queue: Holder): void;
  channel(ch: Channel<any>, sending: boolean, mayBlock: boolean): void;
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
  for (const o of observers) for (const e of EVENTS) if (o[e] !== undefined) (t[e] as unknown[]).push((o[e] as (...args: never[]) => unknown).bind(o));
  table = t;
  S.watcher = observers.length === 0 ? null : dispatcher;
  if (observers.length === 0) unwrap();
  else wrap(dispatcher);
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
