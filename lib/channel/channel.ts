/**
 * Stackless channels, with an optional buffer.
 *
 * Invariants (`sendq`, `recvq`: parked senders and receivers, oldest first):
 *  1. At most one of `sendq` and `recvq` is non-empty.
 *  2. A non-empty buffer means no parked receivers.
 *  3. A buffer below capacity means no parked senders (with `overflow: 'block'`;
 *     dropping channels never park a sender).
 *  4. A closing channel has no parked receivers: `close()` ends them all, and a
 *     receiver arriving later either takes a value or gets end-of-channel at once.
 *  Select (lib/select/select.ts) parks one case waiter per case, and completing any of them
 *  takes its siblings off their queues at once. The one exception to 1: a select with
 *  a send and a receive case on the same rendezvous channel sits in both queues; its
 *  two waiters never meet, since a select never hands a value to itself.
 *
 * Cancellation: every operation is atomic with respect to cancellation. An operation
 * either completes, or — aborted by its signal, or its tasklet killed, while parked —
 * leaves the channel exactly as if it had never been tried: its waiter leaves the wait
 * queue and nothing was taken or given.
 *
 * Each blocking operation is its non-blocking twin followed, if that could not
 * complete, by parking. Values are never lost: a value is either in the buffer, held
 * by a parked sender, delivered to exactly one receiver, or handed back to its sender
 * in a `ChannelClosedError`.
 *
 * When changing this file, run `npx jest spec/channel`.
 */
import { disposeSymbol } from '../base/dispose';
import { ChannelClosedError } from '../base/errors';
import { batchSpent, complete, owedThrow, park, RESOLVED, S, yieldWith } from '../core/loop';
import { Queue } from '../core/queue';
import { checkCapacity, checkName, checkOptions, show, signalOf } from '../base/validate';
import { append, cut, listed, Op, OP, sends, type Waiter } from '../core/waiter';
import { ReceiveCase, SendCase } from './case';
import type { ReceiveChannel, SendChannel } from './directional';
import { ITER_DONE, iterate } from './iterate';
import { sendSequence } from './sequence';
import { showChannel } from './show';

export { ITER_DONE } from './iterate';

/** Options of a {@link Channel}. */
export interface ChannelOptions {
  /** Values the buffer holds: `0` (default) is a rendezvous, `Infinity` unbounded. */
  capacity?: number | undefined;
  /**
   * Who runs first after a hand-off between a running party and a parked one: `-1`
   * (default) the receiver, `1` the sender, `0` the caller continues and the woken one
   * goes to the tail of the run queue.
   */
  preference?: -1 | 0 | 1 | undefined;
  /** Names the channel in errors and deadlock reports. */
  name?: string | undefined;
  /**
   * With `capacity > 0`, what a send does on a full buffer: `'block'` (default) parks;
   * `'dropOldest'` drops the oldest buffered value; `'dropNewest'` drops the value sent.
   */
  overflow?: 'block' | 'dropOldest' | 'dropNewest' | undefined;
}

/** Options of a parking operation. */
export interface OperationOptions {
  /** Aborting it while the operation is parked rejects it with `signal.reason`, leaving no trace. */
  signal?: AbortSignal | undefined;
}

/**
 * What {@link Channel.sendSequence} returns: the promise of the count, which also says
 * how far it got.
 *
 * @example
 * ```ts
 * const job = out.sendSequence(items, { signal });
 * await job.catch(() => console.log(`${job.sent} items were sent`));
 * ```
 */
export interface SequencePromise extends Promise<number> {
  /** Items sent so far; once the promise has rejected, the items that were sent. */
  readonly sent: number;
}

/** The result of {@link Channel.tryReceive}: a value, or why there was none. */
export type TryReceiveResult<T> =
  | {
      /** A value was received. */
      readonly ok: true;
      /** The value received (`undefined` is a value like any other). */
      readonly value: T;
    }
  | {
      /** Nothing was received. */
      readonly ok: false;
      /** Why: `true` the channel is closed and drained (end-of-channel), `false` it is empty for now. */
      readonly closed: boolean;
      /** Always `undefined` when nothing was received. */
      readonly value?: undefined;
    };

/** A value sent by `sendThrow`: the receiver's `receive()` rejects with `error`. */
class Thrown {
  #thrown = true;
  constructor(readonly error: unknown) {}

  /**
   * Whether `item` is a `Thrown`. A private-brand check never looks at a value the way
   * `instanceof` does (through its prototype chain: a revoked Proxy throws there).
   */
  static is(item: unknown): item is Thrown {
    return typeof item === 'object' && item !== null && #thrown in item;
  }
}

/** What `sendNow()` did: handed the value to a parked receiver, buffered it, or found no room (the send parks). */
const HANDED = 0;
const BUFFERED = 1;
const NO_ROOM = 2;
/** `takeNow()` found nothing to take. */
const NOTHING: unique symbol = Symbol('nothing');
const EMPTY: TryReceiveResult<never> = Object.freeze({ ok: false, closed: false });
const DRAINED: TryReceiveResult<never> = Object.freeze({ ok: false, closed: true });

/** The options `new Channel()` knows. */
const CHANNEL_OPTIONS: readonly string[] = ['capacity', 'preference', 'name', 'overflow'];

const BLOCK = 0;
const DROP_OLDEST = 1;
const DROP_NEWEST = 2;

// `Channel._state`, one small integer: the preference (two bits), the closing flag, and
// the balance (parked senders minus parked receivers) above them.
/** The preference's bits: `PREF_CODE[pref + 1]`; the default, -1, is 0. */
const PREF = 3;
const CLOSING = 4;
/** One unit of balance. */
const BAL = 8;
const PREF_OF: readonly (-1 | 0 | 1)[] = [-1, 0, 1];

/**
 * What a plain rendezvous channel without a name does not need, made only for the others:
 * a buffered channel's buffer and policy, a name given.
 */
class ChannelExt {
  constructor(
    readonly given: string | undefined,
    readonly cap: number,
    readonly overflow: number,
    /** Buffered values (or `Thrown` errors), oldest first; `null` for a rendezvous. */
    readonly buffer: Queue<unknown> | null,
  ) {}

  /**
   * Buffer slots promised to values not here yet (`_reserve`, for lib/worker/: a remote
   * sender's credits). They count as full for every sender, and a closing channel is not
   * drained until each is filled or given back.
   */
  reserved = 0;
}

let channelCount = 0;

/**
 * A Stackless channel: `send` parks until a receiver takes the value (or the buffer
 * has room), `receive` parks until a value comes.
 *
 * - Values are received in the order their sends completed or parked; parked senders
 *   and parked receivers are each served first come, first served.
 * - Every value, `undefined` and `null` included, is delivered as it is, to exactly
 *   one receiver. A promise is handed over as it is.
 * - `close()` loses nothing: buffered values and values of senders parked before the
 *   close are still received, in order; then receivers get end-of-channel.
 * - An aborted or killed parked operation leaves the channel as if never tried.
 * - It works in plain code too: the caller is one more waiter.
 *
 * @example
 * ```ts
 * const ch = new Channel<string>({ name: 'greetings' });
 * tasklet(async () => { await ch.send('hi'); ch.close(); })();
 * for await (const v of ch) console.log(v); // "hi"
 * ```
 */
export class Channel<T = unknown> implements SendChannel<T>, ReceiveChannel<T> {
  // Five fields, as few as the floor's channel nearly: a parked party's channel is part of
  // what it costs (docs/10-benchmarks.md).
  /**
   * Numbers channels in creation order, for default names. A true private field: it is
   * also the brand `Channel.is()` checks, which no Proxy and no look-alike can fake.
   */
  readonly #serial: number;
  /**
   * @internal Parked senders, oldest first: a circular list known by its head (see
   * lib/core/waiter.ts), `null` when none; each waiter's `value` is what it offers.
   */
  _sendq: Waiter | null = null;
  /** @internal Parked receivers, oldest first; `null` when none. */
  _recvq: Waiter | null = null;
  /** @internal Preference, closing flag and balance (see `PREF`, `CLOSING`, `BAL`). */
  _state: number;
  /** Buffer, capacity, overflow policy and given name; `null` for an unnamed rendezvous. */
  private readonly ext: ChannelExt | null;

  constructor(options?: ChannelOptions) {
    if (options === undefined) {
      // The common case, kept short: an unnamed rendezvous with the default preference.
      this._state = 0;
      this.#serial = ++channelCount;
      this.ext = null;
      return;
    }
    const o = checkOptions('new Channel()', options, CHANNEL_OPTIONS);
    const capacity = checkCapacity('new Channel()', o?.capacity === undefined ? 0 : o.capacity);
    const overflow = o?.overflow === undefined ? 'block' : o.overflow;
    if (overflow !== 'block' && overflow !== 'dropOldest' && overflow !== 'dropNewest') {
      throw new (typeof overflow === 'string' ? RangeError : TypeError)(
        `new Channel(): option "overflow" must be 'block', 'dropOldest' or 'dropNewest', received ${show(overflow)}`,
      );
    }
    if (overflow !== 'block' && capacity === 0) {
      throw new RangeError(`new Channel(): option "overflow" ${show(overflow)} needs a capacity above 0, received capacity 0`);
    }
    const given = o === undefined ? undefined : checkName('new Channel()', o.name);
    this._state = checkPreference('new Channel()', o?.preference === undefined ? -1 : o.preference) + 1;
    this.#serial = ++channelCount;
    this.ext =
      capacity === 0 && given === undefined
        ? null
        : new ChannelExt(given, capacity, overflow === 'block' ? BLOCK : overflow === 'dropOldest' ? DROP_OLDEST : DROP_NEWEST, capacity === 0 ? null : new Queue());
  }

  /** The buffer, or `null` for a rendezvous. */
  private get buffer(): Queue<unknown> | null {
    const ext = this.ext;
    return ext === null ? null : ext.buffer;
  }

  /** Closing: `close()` was called and `open()` not since. */
  private get closingFlag(): boolean {
    return (this._state & CLOSING) !== 0;
  }

  /** @internal Parks `w` at the tail of its side (a sender's or a receiver's, by its op). */
  _push(w: Waiter): void {
    w._queue = this;
    if (sends(w._bits & OP)) {
      this._sendq = append(this._sendq, w);
      this._state += BAL;
    } else {
      this._recvq = append(this._recvq, w);
      this._state -= BAL;
    }
  }

  /** @internal Takes parked `w` off its side. */
  _unlink(w: Waiter): void {
    w._queue = null;
    if (sends(w._bits & OP)) {
      this._sendq = cut(this._sendq!, w);
      this._state -= BAL;
    } else {
      this._recvq = cut(this._recvq!, w);
      this._state += BAL;
    }
  }

  /** @internal The parked senders (`sending`) or receivers, oldest first. */
  _waiters(sending: boolean): IterableIterator<Waiter> {
    return listed(sending ? this._sendq : this._recvq);
  }

  /** @internal The newest parked sender (`sending`) or receiver, or `null`. */
  _newest(sending: boolean): Waiter | null {
    const head = sending ? this._sendq : this._recvq;
    return head === null ? null : head._prev;
  }

  /** Takes the oldest parked receiver off its side, or returns `null`. */
  private nextReceiver(): Waiter | null {
    const r = this._recvq;
    if (r !== null) this._unlink(r);
    return r;
  }

  /** The `name` option, or `channel-<n>` in creation order. */
  get name(): string {
    const ext = this.ext;
    return (ext === null ? undefined : ext.given) ?? `channel-${this.#serial}`;
  }

  /**
   * @internal Whether `x` is a channel made by this constructor (a subclass's too),
   * asked without running any user code: no getter, no Proxy trap, no `Symbol.hasInstance`.
   */
  static _is(x: unknown): x is Channel<unknown> {
    return typeof x === 'object' && x !== null && #serial in x;
  }

  /** Parked senders minus parked receivers: `> 0` senders wait, `< 0` receivers wait. */
  get balance(): number {
    return this._state >> 3;
  }

  /** Values in the buffer now. */
  get length(): number {
    const buffer = this.buffer;
    return buffer === null ? 0 : buffer.length;
  }

  /** How many values the buffer holds: `0` (rendezvous), a positive integer, or `Infinity`. */
  get capacity(): number {
    const ext = this.ext;
    return ext === null ? 0 : ext.cap;
  }

  /** Who runs first after a hand-off: `-1` the receiver, `1` the sender, `0` the caller. */
  get preference(): -1 | 0 | 1 {
    return PREF_OF[this._state & PREF];
  }

  /** Sets who runs first after a hand-off; any value but `-1`, `0` or `1` is a `RangeError`. */
  set preference(value: -1 | 0 | 1) {
    this._state = (this._state & ~PREF) | (checkPreference('channel.preference', value) + 1);
  }

  /** `close()` was called (and `open()` not since). */
  get closing(): boolean {
    return this.closingFlag;
  }

  /** Closing, and nothing is left to receive. */
  get closed(): boolean {
    return this.closingFlag && this.length === 0 && this._sendq === null && !this.awaited;
  }

  /** Some value is promised to the buffer (a reserved slot): a closing channel is not drained yet. */
  private get awaited(): boolean {
    const ext = this.ext;
    return ext !== null && ext.reserved !== 0;
  }

  /**
   * Sends `value`: resolves once a receiver took it (rendezvous) or it is in the
   * buffer; parks the caller until then. Rejects with `ChannelClosedError` (carrying
   * the value) if the channel is closing, with `signal.reason` if aborted while parked.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>();
   * tasklet(async () => console.log(await ch.receive()))(); // 42
   * await ch.send(42); // resolves when the receiver has it
   * ```
   */
  send(value: T, options?: OperationOptions): Promise<void> {
    return this.offer(value, options === undefined ? undefined : signalOf('send()', options), 'send()');
  }

  /**
   * A send whose receiver's `receive()` rejects with `error` (Stackless `send_throw`).
   * It takes its place in the buffer and the queue like any value.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>({ capacity: 1 });
   * await ch.sendThrow(new Error('no data'));
   * await ch.receive().catch((e) => console.log(e.message)); // "no data"
   * ```
   */
  sendThrow(error: unknown, options?: OperationOptions): Promise<void> {
    return this.offer(new Thrown(error), options === undefined ? undefined : signalOf('sendThrow()', options), 'sendThrow()');
  }

  /**
   * `sendThrow(new ErrorClass(...args))`.
   *
   * @example
   * ```ts
   * await ch.sendException(RangeError, 'out of range');
   * ```
   */
  sendException<A extends unknown[]>(ErrorClass: new (...args: A) => unknown, ...args: A): Promise<void> {
    if (!isConstructor(ErrorClass)) {
      throw new TypeError(`sendException(): ErrorClass must be a constructor, received ${show(ErrorClass)}`);
    }
    let error: unknown;
    try {
      error = new ErrorClass(...args);
    } catch (e) {
      // Constructors like Symbol have [[Construct]] but refuse `new`.
      if (e instanceof TypeError && /not a constructor/.test(e.message)) {
        throw new TypeError(`sendException(): ErrorClass must be a constructor, received ${show(ErrorClass)}`);
      }
      throw e;
    }
    return this.offer(new Thrown(error), undefined, 'sendException()');
  }

  /**
   * Sends each item of a sync or async iterable in turn; resolves with the count.
   *
   * - With `signal` already aborted it rejects with `signal.reason` at once and takes
   *   nothing from the iterable (it does not even open it).
   * - Aborted later, it rejects with `signal.reason` (untouched: the reason is the
   *   caller's, and may be shared by many operations). An abort that comes while a send
   *   is parked leaves that item unsent; between items, it stops before taking the next.
   * - How far it got is the returned promise's `sent`: the items sent so far, read at
   *   any time — after a rejection (abort, a closed channel, a failing iterable), the
   *   number of items that were sent.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>({ capacity: Infinity });
   * console.log(await ch.sendSequence([1, 2, 3])); // 3
   *
   * const out = new Channel<number>({ capacity: 2 }); // and nobody receives
   * const stop = new AbortController();
   * setTimeout(() => stop.abort(), 10);
   * const job = out.sendSequence([1, 2, 3], { signal: stop.signal });
   * try {
   *   await job;
   * } catch (e) {
   *   if (e === stop.signal.reason) console.log(`stopped after ${job.sent} items`); // stopped after 2 items
   * }
   * ```
   */
  sendSequence(items: Iterable<T> | AsyncIterable<T>, options?: OperationOptions): SequencePromise {
    return sendSequence(this, items, options);
  }

  /**
   * Receives the next value, parking the caller while there is none. Rejects with
   * `ChannelClosedError` once the channel is closed and drained, with the error of a
   * `sendThrow`, or with `signal.reason` if aborted while parked.
   *
   * @example
   * ```ts
   * const ch = new Channel<string>();
   * tasklet(async () => ch.send('ping'))();
   * console.log(await ch.receive()); // "ping"
   * ```
   */
  receive(options?: OperationOptions): Promise<T> {
    const signal = options === undefined ? undefined : signalOf('receive()', options);
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    return this.take(Op.Receive, signal);
  }

  /**
   * Sends without parking: `true` if a parked receiver took the value or the buffer
   * had room (or, on a dropping channel, always), `false` otherwise. Throws
   * `ChannelClosedError` if the channel is closing. A woken receiver goes to the tail
   * of the run queue; the caller goes on.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>({ capacity: 1 });
   * console.log(ch.trySend(1), ch.trySend(2)); // true false — the second finds the buffer full
   * ```
   *
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  trySend(value: T): boolean {
    if (this.closingFlag) throw this.closedError('trySend()', value);
    return this.sendNow(value) !== NO_ROOM;
  }

  /**
   * Receives without parking. `{ ok: true, value }` on success — `value` may well be
   * `undefined`; `{ ok: false, closed: false }` when there is nothing now;
   * `{ ok: false, closed: true }` when the channel is closed and drained. Throws the
   * error of a `sendThrow`.
   *
   * @example
   * ```ts
   * const r = ch.tryReceive();
   * if (r.ok) console.log('got', r.value);
   * else if (r.closed) console.log('closed and drained');
   * else console.log('nothing yet');
   * ```
   *
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  tryReceive(): TryReceiveResult<T> {
    const item = this.takeNow();
    if (item === NOTHING) return this.closingFlag && !this.awaited ? DRAINED : EMPTY;
    if (Thrown.is(item)) throw item.error;
    return { ok: true, value: item as T };
  }

  /**
   * Closes the channel; idempotent. No new value is accepted: `send` and `trySend` fail
   * with `ChannelClosedError` carrying the value. Buffered values and values of senders
   * parked before the close are still received, in order; receivers parked now, and
   * every receive once drained, get end-of-channel.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>({ capacity: 2 });
   * await ch.send(1);
   * ch.close();
   * console.log(await ch.receive()); // 1 — nothing sent is lost
   * console.log(ch.closed);          // true
   * ```
   */
  close(): void {
    if (this.closingFlag) return;
    this._state |= CLOSING;
    if (!this.awaited) this.end();
  }

  /** Closing and drained: every parked receiver gets end-of-channel. */
  private end(): void {
    for (let r = this.nextReceiver(); r !== null; r = this.nextReceiver()) {
      if (r._op === Op.Receive) complete(r, true, this.endError());
      // `for await` ends; a select's receive case wins with `done: true` (select.ts).
      else complete(r, false, ITER_DONE);
    }
  }

  /**
   * Reopens a closing channel (Stackless `open()`): it accepts values again.
   *
   * @example
   * ```ts
   * const ch = new Channel<number>({ capacity: 1 });
   * ch.close();
   * ch.open();
   * console.log(ch.trySend(1)); // true
   * ```
   */
  open(): void {
    this._state &= ~CLOSING;
  }

  /**
   * `for await (const v of ch)` receives until the channel is closed and drained.
   * `break` (the iterator's `return()`) leaves without consuming anything more: that
   * iterator is done from then on, and its `next()` takes nothing; the channel stays
   * open for its other users. A `next()` still parked when `return()` is called (an
   * iterator used by hand, say in a `Promise.race`) leaves the channel as if it had
   * never been tried and resolves `{ done: true }`: no value goes to a promise nobody
   * reads.
   *
   * @example
   * ```ts
   * for await (const job of jobs) {
   *   if (job === 'stop') break; // jobs stays open; the next job stays in it
   *   await handle(job);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return iterate(this);
  }

  /**
   * Closes the channel when a `using` block ends (`Symbol.dispose`; see lib/base/dispose.ts
   * for runtimes without it).
   *
   * @example
   * ```ts
   * {
   *   using ch = new Channel<number>({ capacity: 1 });
   *   await ch.send(1);
   * } // ch.close() here
   * ```
   */
  [disposeSymbol](): void {
    this.close();
  }

  /**
   * `channel "name"`, as errors and reports name it.
   *
   * @example
   * ```ts
   * console.log(`${new Channel({ name: 'jobs' })}`); // channel "jobs"
   * ```
   */
  toString(): string {
    return `channel ${JSON.stringify(this.name)}`;
  }

  /**
   * A receive case for `select`: it does nothing until a select commits to it.
   *
   * @example
   * ```ts
   * const r = await select({ a: a.receiveCase(), b: b.receiveCase() });
   * console.log(r.key, r.value);
   * ```
   */
  receiveCase(): ReceiveCase<T> {
    return new ReceiveCase(this);
  }

  /**
   * A send case for `select`, offering `value`: it does nothing until a select commits to it.
   *
   * @example
   * ```ts
   * const r = await select({ sent: out.sendCase(1), timeout: after(100).receiveCase() });
   * ```
   */
  sendCase(value: T): SendCase<T> {
    return new SendCase(this, value);
  }

  // Select support (lib/select/select.ts): readiness without side effects, so a select can
  // see every ready case before it commits to one (through trySend / tryReceive).

  /** @internal A send would not park now: closing (it fails), a parked receiver, room, or a dropping buffer. */
  _canSend(): boolean {
    const ext = this.ext;
    return this.closingFlag || this._recvq !== null || (ext !== null && ext.buffer !== null && (ext.buffer.length + ext.reserved < ext.cap || ext.overflow !== BLOCK));
  }

  /** @internal A receive would not park now: a buffered value, a parked sender, or end-of-channel. */
  _canReceive(): boolean {
    const buffer = this.buffer;
    return (buffer !== null && buffer.length !== 0) || this._sendq !== null || (this.closingFlag && !this.awaited);
  }

  /** @internal A send (`sending`) or a receive begun now would park: for observers (lib/inspect/), never the hot path. */
  _wouldPark(sending: boolean): boolean {
    return sending ? !this._canSend() : !this._canReceive();
  }

  /**
   * @internal The parked partner an operation begun now would complete at once, if any:
   * the oldest parked receiver for a send, the oldest parked sender for a receive (which,
   * on a full buffer, moves its value in and is woken). For lib/inspect/trace.ts.
   */
  _partner(sending: boolean): Waiter | null {
    if (sending) return this.closingFlag ? null : this._recvq;
    return this._sendq;
  }

  /** @internal A send that names `where` in its errors, for lib/channel/sequence.ts (`item`: a value). */
  _send(item: unknown, signal: AbortSignal | undefined, where: string): Promise<void> {
    return this.offer(item, signal, where);
  }

  /**
   * @internal A receive for `for await` (lib/channel/iterate.ts) and bridges (lib/worker/): end-of-channel resolves `{ done: true }`
   * instead of rejecting, so that it cannot be mistaken for a `ChannelClosedError` someone sent
   * with `sendThrow`; an error sent that way rejects, as it would `receive()`.
   */
  _next(signal: AbortSignal | undefined): Promise<IteratorResult<T, undefined>> {
    return this.take(Op.Iterate, signal);
  }

  /**
   * @internal Puts back a value a receiver took but could not keep (lib/worker/: its thread
   * ended before acknowledging it) as the next value any receiver gets: to the oldest parked
   * receiver, else at the front of the buffer (a full dropping buffer holds one more for a
   * while), else as the oldest parked sender — plain code holding it, which a closing channel
   * still delivers. `item` is a value or a `Thrown`. Nothing is lost and no order changes but
   * this value's, which moves to the front.
   */
  _giveBack(item: unknown): void {
    const r = this._recvq;
    if (r !== null) {
      this._unlink(r);
      deliver(r, item);
      return;
    }
    const ext = this.ext;
    if (ext !== null && ext.buffer !== null && (ext.buffer.length + ext.reserved < ext.cap || ext.overflow !== BLOCK)) {
      ext.buffer.unshift(item);
      return;
    }
    void park(this, Op.Send, item, undefined);
    // The waiter just parked is the newest; the list is circular, so naming it the head
    // makes it the oldest, and the rest keep their order.
    this._sendq = this._sendq!._prev;
  }

  /** @internal Wraps an error for `_giveBack`, as `sendThrow` would send it. */
  static _thrown(error: unknown): unknown {
    return new Thrown(error);
  }

  /**
   * @internal Promises up to `most` buffer slots to values that will come later (lib/worker/:
   * a remote sender's credits, so its sends complete without a round trip), and says how
   * many: only free room, only with no sender parked before (they are first in line), and
   * only for a blocking buffer that is not closing. Each is then filled (`_fill`) or given
   * back (`_unreserve`).
   */
  _reserve(most: number): number {
    const ext = this.ext;
    if (ext === null || ext.buffer === null || ext.overflow !== BLOCK || this._sendq !== null || this.closingFlag) return 0;
    const n = Math.min(most, ext.cap - ext.buffer.length - ext.reserved);
    if (n <= 0) return 0;
    ext.reserved += n;
    return n;
  }

  /** @internal A value (or a `Thrown`) for a reserved slot: to the oldest parked receiver, else into the buffer — closing or not, it was sent before. */
  _fill(item: unknown): void {
    const ext = this.ext!;
    ext.reserved--;
    const r = this._recvq;
    if (r === null) ext.buffer!.push(item);
    else {
      this._unlink(r);
      deliver(r, item);
      if (this.closingFlag && ext.reserved === 0) this.end(); // the receivers left find it drained
    }
  }

  /** @internal Gives back `n` reserved slots: the oldest parked senders move into the room; a closing channel left drained ends. */
  _unreserve(n: number): void {
    const ext = this.ext!;
    ext.reserved -= n;
    for (let s = this._sendq; s !== null && ext.buffer!.length + ext.reserved < ext.cap; s = this._sendq) {
      this._unlink(s);
      ext.buffer!.push(s._value);
      complete(s, false, undefined);
    }
    if (this.closingFlag && ext.reserved === 0 && ext.buffer!.length === 0 && this._sendq === null) this.end();
  }

  /**
   * The common send: `item` is a value or a `Thrown`; `signal` is already checked.
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  private offer(item: unknown, signal: AbortSignal | undefined, where: string): Promise<void> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if (S.pendingThrows !== 0) {
      const owed = owedThrow();
      if (owed !== null) return owed;
    }
    const state = this._state;
    if ((state & CLOSING) !== 0) return Promise.reject(this.closedError(where, Thrown.is(item) ? item.error : item));
    const done = this.sendNow(item);
    if (done === NO_ROOM) return park(this, Op.Send, item, signal);
    // Handed to a receiver: the sender steps back (preference -1 or 0); buffered: it goes on.
    return (done === HANDED && (state & PREF) === 0) || batchSpent() ? yieldWith(Op.Yield, false, undefined) : RESOLVED;
  }

  /**
   * The send that never parks, behind both `trySend()` and a blocking send: hands `item`
   * (a value or a `Thrown`) to the oldest parked receiver, else puts it in the buffer (a
   * full dropping buffer drops as its `overflow` says); says which, or `NO_ROOM`. The
   * caller has checked that the channel is not closing.
   */
  private sendNow(item: unknown): number {
    const r = this._recvq;
    if (r !== null) {
      // A receiver is parked (so the buffer is empty): hand the value over.
      this._unlink(r);
      deliver(r, item);
      return HANDED;
    }
    const ext = this.ext;
    if (ext === null || ext.buffer === null) return NO_ROOM;
    const buffer = ext.buffer;
    if (buffer.length + ext.reserved < ext.cap) buffer.push(item);
    else if (ext.overflow === DROP_OLDEST) {
      buffer.shift();
      buffer.push(item);
    } else if (ext.overflow === BLOCK) return NO_ROOM;
    return BUFFERED;
  }

  /**
   * The common receive, for `receive()` and `for await`.
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  private take(op: Op, signal: AbortSignal | undefined): Promise<any> {
    if (S.pendingThrows !== 0) {
      const owed = owedThrow();
      if (owed !== null) return owed;
    }
    const parkedSenders = this._state >> 3;
    const item = this.takeNow();
    if (item === NOTHING) {
      if (!this.closingFlag || this.awaited) return park(this, op, undefined, signal);
      return op === Op.Iterate ? Promise.resolve(ITER_DONE) : Promise.reject(this.endError());
    }
    // A woken sender runs first with preference 1; a spent batch yields to the host.
    if (((this._state & PREF) === 2 && this._state >> 3 !== parkedSenders) || batchSpent()) {
      return yieldWith(Op.Yield, Thrown.is(item), outcome(item, op));
    }
    if (Thrown.is(item)) return Promise.reject(item.error);
    return Promise.resolve(op === Op.Iterate ? { value: item, done: false } : item);
  }

  /**
   * Takes the next value without parking — from the buffer, whose free slot then goes to
   * the oldest parked sender's value, or straight from the oldest parked sender — and
   * completes that sender; `NOTHING` when there is none.
   */
  private takeNow(): unknown {
    const buffer = this.buffer;
    const s = this._sendq;
    if (s !== null) {
      // `_unlink(s)`, its side known: the oldest sender leaves its list (no subclass
      // watches its senders; `AfterChannel` watches its receivers).
      s._queue = null;
      this._sendq = cut(s, s);
      this._state -= BAL;
    }
    if (buffer !== null && buffer.length !== 0) {
      const item = buffer.shift();
      if (s !== null) {
        buffer.push(s._value);
        complete(s, false, undefined);
      }
      return item;
    }
    if (s === null) return NOTHING;
    const item = s._value;
    complete(s, false, undefined);
    return item;
  }

  private closedError(where: string, value: unknown): ChannelClosedError {
    return new ChannelClosedError(`${where}: send on closed ${this}`, value);
  }

  private endError(): ChannelClosedError {
    return new ChannelClosedError(`receive on closed ${this}: closed and drained`);
  }

  /**
   * How `util.inspect` and `console.log` show a channel under Node (the registered
   * symbol `nodejs.util.inspect.custom`; the core imports nothing from Node): its name,
   * capacity, balance and length — and `closing: true` once closed — instead of its wait
   * queues. Numbers are rendered by the `inspect` Node passes, so `colors` applies.
   *
   * @example
   * ```ts
   * const jobs = new Channel({ name: 'jobs' });
   * console.log({ jobs }); // { jobs: Channel "jobs" { capacity: 0, balance: 0, length: 0 } }
   * ```
   */
  [Symbol.for('nodejs.util.inspect.custom')](
    depth?: number | null,
    options?: { stylize?: (text: string, style: string) => string },
    inspect?: (value: unknown, options?: object) => string,
  ): string {
    return showChannel(this, depth, options, inspect);
  }
}

/** What a receiver of `op` gets for `item`. */
function outcome(item: unknown, op: Op): unknown {
  return Thrown.is(item) ? item.error : received(item, op);
}

/** What a receiver of `op` gets for a value that is not a `Thrown`. */
function received(item: unknown, op: Op): unknown {
  return op === Op.Iterate ? { value: item, done: false } : item;
}

/** Completes parked receiver `r` with `item`. */
function deliver(r: Waiter, item: unknown): void {
  if (Thrown.is(item)) complete(r, true, item.error);
  else complete(r, false, received(item, r._bits & OP));
}

/** Whether `f` can be called with `new` (without calling it). */
function isConstructor(f: unknown): boolean {
  if (typeof f !== 'function') return false;
  try {
    Reflect.construct(String, [], f);
    return true;
  } catch {
    return false;
  }
}

function checkPreference(where: string, value: unknown): -1 | 0 | 1 {
  if (value === 0) return 0; // -0 too: it reads back as 0
  if (value === -1 || value === 1) return value;
  throw new (typeof value === 'number' ? RangeError : TypeError)(`${where}: preference must be -1, 0 or 1, received ${show(value)}`);
}
