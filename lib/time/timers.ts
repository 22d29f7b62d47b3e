/**
 * Time: `after(ms)`, a channel that delivers one value after `ms` and then closes,
 * `sleep(ms)`, a receive on such a channel, and `timeoutSignal(ms)`, a deadline for any
 * operation that takes a `signal`.
 *
 * Timers cost nothing when idle. An `after` channel holds a deadline, not a running
 * timer: its host timer is armed only while some party is parked on it (a receive, a
 * `for await`, a select's receive case), and cleared the moment the last one leaves —
 * served, aborted, killed, or the loser of a select. Anyone who looks without parking
 * (`tryReceive`, `trySelect`, a select's readiness check, `length`, `closed`) first
 * brings the channel up to date with the clock. So a select whose timeout loses leaves
 * no live timer behind, and a program whose only pending work is such a timeout exits.
 *
 * While its timer is armed, a party parked on an `after` channel waits on a timer: the
 * loop counts the timer (`countTimer`) and `run()` does not call it a deadlock.
 *
 * Uses only `setTimeout`/`clearTimeout` and the monotonic clock of lib/base/clock.ts: browser-safe.
 */
import { Channel, type OperationOptions, type TryReceiveResult } from '../channel/channel';
import { now } from '../base/clock';
import { TimeoutError } from '../base/errors';
import { countTimer } from '../core/loop';
import { show, signalOf } from '../base/validate';
import { sends, type Waiter } from '../core/waiter';

/** The longest delay a host timer takes (2^31 - 1 ms); longer waits re-arm. */
const MAX_DELAY = 0x7fffffff;

/**
 * A host timer that counts, while armed, as something a party waits on (so `run()`
 * does not report a deadlock). `cancel()` is idempotent.
 *
 * @internal
 */
export class Alarm {
  private handle: ReturnType<typeof setTimeout> | undefined;

  /** `lazy`: see {@link holdDeadlines}. */
  constructor(ms: number, callback: () => void, lazy = false) {
    countTimer(1);
    this.handle = setTimeout(
      () => {
        if (this.handle === undefined) return;
        this.handle = undefined;
        countTimer(-1);
        lazy && deadlines.delete(this);
        callback();
      },
      Math.min(ms, MAX_DELAY),
    );
    if (lazy) {
      deadlines.add(this);
      (this.handle as { unref?: () => void }).unref?.();
    }
  }

  get armed(): boolean {
    return this.handle !== undefined;
  }

  cancel(): void {
    if (this.handle === undefined) return;
    clearTimeout(this.handle);
    this.handle = undefined;
    countTimer(-1);
    deadlines.delete(this);
  }

  /** @internal Makes the host wait for it (Node's `ref()`). */
  _hold(): void {
    (this.handle as { ref?: () => void } | undefined)?.ref?.();
  }
}

/**
 * The alarms of `timeoutSignal` deadlines not yet fired. Their host timers do not keep a
 * Node process alive by themselves (unref'd), so a service that answered its last
 * request does not wait for that request's deadline to exit. They count for `run()`
 * all the same, and when Node's event loop drains with parties still parked,
 * lib/node/exit.ts holds them — the process waits for the deadlines, which may wake
 * those parties — before it reports anything.
 */
const deadlines = new Set<Alarm>();

/**
 * @internal Makes the host wait for every pending deadline; says whether there was one.
 * Called by the exit check when parties are parked and nothing else is left.
 */
export function holdDeadlines(): boolean {
  if (deadlines.size === 0) return false;
  for (const alarm of deadlines) alarm._hold();
  deadlines.clear();
  return true;
}

/**
 * The channel `after(ms)` returns: capacity 1; at its deadline it delivers one value
 * and closes. Sending on it works like on any channel of capacity 1, but is not what
 * it is for. (`ticker()` builds on it with a period: it delivers a value at every
 * deadline, keeping only the latest, and closes when stopped.)
 *
 * @example
 * ```ts
 * const timeout: AfterChannel = after(100);
 * const t0 = Date.now();
 * await timeout.receive(); // 100 ms later
 * console.log(Date.now() - t0 >= 99, timeout.closed); // true true
 * ```
 */
export class AfterChannel<T = number> extends Channel<T> {
  /** `now()` (lib/base/clock.ts) at which the next value is due; `Infinity`: never. */
  private deadline: number;
  /** The last value is out and the channel closed (or, for a ticker, stopped). */
  private fired = false;
  private alarm: Alarm | null = null;

  /** @internal Use {@link after}, {@link sleep} or `ticker()`. */
  constructor(
    ms: number,
    private readonly make: () => T,
    name: string,
    /** Milliseconds between values after the first; `0`: one value, then close. */
    private readonly period = 0,
  ) {
    super(period === 0 ? { capacity: 1, name } : { capacity: 1, name, overflow: 'dropOldest' });
    this.deadline = now() + ms;
  }

  /** @internal The first parked receiver arms the alarm (see `_watched`). */
  override _push(w: Waiter): void {
    super._push(w);
    if (!sends(w._op) && w._next === w) this._watched();
  }

  /** @internal The last parked receiver gone, the alarm may go too (see `_unwatched`). */
  override _unlink(w: Waiter): void {
    const receiving = !sends(w._op);
    super._unlink(w);
    if (receiving && this._recvq === null) this._unwatched();
  }

  override receive(options?: OperationOptions): Promise<T> {
    this.ripen();
    return super.receive(options);
  }

  override tryReceive(): TryReceiveResult<T> {
    this.ripen();
    return super.tryReceive();
  }

  override get length(): number {
    this.ripen();
    return super.length;
  }

  override get closed(): boolean {
    this.ripen();
    return super.closed;
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const it = super[Symbol.asyncIterator]();
    const next = it.next;
    it.next = () => {
      this.ripen();
      return next();
    };
    return it;
  }

  /** @internal */
  override _canReceive(): boolean {
    this.ripen();
    return super._canReceive();
  }

  /** @internal A first party parked: arm the host timer for what is left. */
  _watched(): void {
    if (this.fired || this.alarm !== null || this.deadline === Infinity) return;
    this.alarm = new Alarm(Math.max(0, this.deadline - now()), () => {
      this.alarm = null;
      if (this.deadline - now() > 1)
        this._watched(); // a long wait, re-armed in steps
      else this.fire();
    });
  }

  /** @internal The last parked party left: nobody needs the timer now. */
  _unwatched(): void {
    if (this.alarm === null) return;
    this.alarm.cancel();
    this.alarm = null;
  }

  /** Ends it: no more values; what is buffered can still be received. */
  protected stopTimer(): void {
    this.fired = true;
    this._unwatched();
    this.close();
  }

  /** If the deadline has passed (and the timer has not yet said so), deliver now. */
  private ripen(): void {
    if (!this.fired && now() >= this.deadline) this.fire();
  }

  private fire(): void {
    if (this.fired) return;
    if (this.period === 0) {
      this.fired = true;
      this._unwatched();
      if (!this.closing) this.trySend(this.make());
      this.close();
      return;
    }
    // A ticker: one value per deadline; ticks missed by a slow receiver are dropped.
    const at = now();
    // (a host timer may fire a fraction of a millisecond early: that is this deadline)
    this.deadline += Math.max(1, Math.floor((at - this.deadline) / this.period) + 1) * this.period;
    if (this.closing) return;
    this.trySend(this.make());
    if (this._recvq !== null) this._watched(); // more parties wait for the next tick
  }
}

function checkMs(where: string, ms: unknown): number {
  if (typeof ms !== 'number') throw new TypeError(`${where}: ms must be a number of milliseconds, received ${show(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`${where}: ms must be a non-negative number of milliseconds (or Infinity), received ${show(ms)}`);
  return ms;
}

/**
 * A channel that delivers one value — the `Date.now()` of the moment it fired — after
 * `ms`, and then closes (Go's `time.After`); for timeouts in `select`. A party parked
 * on it waits on a timer, not in a deadlock. Its host timer runs only while some party
 * is parked on it, so a timeout nobody waits on any more costs nothing and does not
 * keep the process alive; looked at later, it is ready if its time has passed.
 * `after(Infinity)` never fires. `after(0)` is ready at once.
 *
 * @example
 * ```ts
 * const r = await select({ reply: replies.receiveCase(), timeout: after(500).receiveCase() });
 * if (r.key === 'timeout') console.log('no reply within 500 ms');
 * ```
 */
export function after(ms: number): AfterChannel<number> {
  checkMs('after()', ms);
  return new AfterChannel(ms, Date.now, `after(${ms}ms)`);
}

const NOTHING = (): undefined => undefined;

/**
 * Resolves after `ms`. The caller parks meanwhile (its slice ends), and counts as
 * waiting on a timer, not deadlocked. Aborted by `signal` (or its tasklet killed), it
 * rejects with the reason and clears its timer. `sleep(0)` resolves at once.
 *
 * @example
 * ```ts
 * tasklet(async () => {
 *   await sleep(100);
 *   console.log('100 ms later');
 * })();
 * await run();
 * ```
 */
export function sleep(ms: number, options?: OperationOptions): Promise<void> {
  checkMs('sleep()', ms);
  // The options are read once, here: the channel's receive gets the checked signal.
  const signal = signalOf('sleep()', options);
  return new AfterChannel<undefined>(ms, NOTHING, `sleep(${ms}ms)`).receive(signal === undefined ? undefined : { signal });
}

/**
 * An `AbortSignal` that aborts with a `TimeoutError` after `ms`: a deadline to pass as
 * `{ signal }` to any parked operation, `select`, `sleep` or `tasklet()`, alone or in
 * `AbortSignal.any([...])`. Unlike Node's `AbortSignal.timeout(ms)`, whose timer is
 * unref'd and unknown to the library (a process that waits only on it exits before it
 * fires, and `run()` takes a party parked with it for a deadlock), its timer is a
 * library timer: while it runs, `run()` counts it as something that can wake a party.
 * Under Node it keeps the process alive only when it is needed: a process with parties
 * still parked waits for its pending deadlines before it reports or exits, while a
 * service that has answered its last request exits without waiting for that request's
 * deadline. For a deadline around one piece of work, `withTimeout(ms, (signal) => …)`
 * also clears its timer as soon as the work is done; `timeoutSignal(Infinity)` never
 * aborts.
 *
 * @example
 * ```ts
 * const reply = await replies.receive({ signal: timeoutSignal(500) });
 * // rejects with TimeoutError (error.ms === 500) if no reply comes within 500 ms
 * ```
 */
export function timeoutSignal(ms: number): AbortSignal {
  checkMs('timeoutSignal()', ms);
  const controller = new AbortController();
  if (ms !== Infinity) new Alarm(ms, () => controller.abort(new TimeoutError(`timeoutSignal(): timed out after ${ms} ms`, ms)), true);
  return controller.signal;
}
