/**
 * Select: wait on several channel operations at once and complete exactly one.
 *
 * The promise, in one sentence: a select completes exactly one of its cases, and the
 * losers take and leave nothing — no value consumed, none lost, every wait queue and
 * `balance` as if they had never been tried.
 *
 * How: a select first looks for ready cases without side effects (`_canSend`,
 * `_canReceive`), picks one — uniformly at random, or the first with `priority` — and
 * completes it with the channel's own `trySend`/`tryReceive`. When none is ready it
 * parks one case waiter per case in its channels' queues, all linked to one
 * `ParkedSelect`. Channel code treats a case waiter like any parked sender or receiver;
 * the only difference is in `complete()` (loop.ts), which hands a case waiter to
 * `ParkedSelect.settle`. Settling happens once, synchronously, inside the partner's
 * operation: it takes the sibling waiters off their queues before anyone else can see
 * them, so no second partner can ever meet the same select. Abort and `kill()` go
 * through the same `settle`, so they too are atomic.
 *
 * When changing this file, run `npx jest spec/select spec/timers`.
 */
import { type Case, ReceiveCase, SendCase } from './case';
import { Channel, ITER_DONE } from './channel';
import { ChannelClosedError } from './errors';
import { callerTasklet, complete, NO_THROW, parkSelect, S, takePendingThrow, unparkSelect } from './loop';
import { decide } from './decisions';
import { randomBelow } from './random';
import { checkOptions, checkSignal, show } from './validate';
import { Op, type SelectLink, Waiter } from './waiter';

export { type Case, ReceiveCase, SendCase } from './case';

/**
 * The cases of a select: an object of named cases.
 *
 * @example
 * ```ts
 * const cases = { job: jobs.receiveCase(), quit: quit.receiveCase() } satisfies Cases;
 * ```
 */
export type Cases = { readonly [key: string]: Case };

/**
 * What a select resolves with: `key` names the winning case and `value` narrows with
 * it. A receive case gives the value received (`done: false`), or `done: true` and
 * `value: undefined` when its channel was closed and drained; a send case gives
 * `value: undefined`.
 *
 * @example
 * ```ts
 * const r: SelectResult<{ n: ReceiveCase<number>; s: SendCase<string> }> = await select({ n: nums.receiveCase(), s: strs.sendCase('x') });
 * if (r.key === 'n' && !r.done) r.value.toFixed(); // number
 * ```
 */
export type SelectResult<C extends Cases> = {
  [K in keyof C & string]: CaseResult<K, C[K]>;
}[keyof C & string];

/** The result of one case; distributes over a union of cases (cases built at run time). */
type CaseResult<K extends string, X> = X extends ReceiveCase<infer T>
  ? { readonly key: K; readonly value: T; readonly done: false } | { readonly key: K; readonly value: undefined; readonly done: true }
  : { readonly key: K; readonly value: undefined; readonly done: false };

/**
 * Options of {@link select}.
 *
 * @example
 * ```ts
 * await select(cases, { signal: AbortSignal.timeout(1000), priority: true });
 * ```
 */
export interface SelectOptions {
  /** Aborting it while the select is parked rejects it with `signal.reason`, leaving no trace. */
  signal?: AbortSignal | undefined;
  /** Take the first ready case in `Object.keys` order instead of a random one. */
  priority?: boolean | undefined;
}

/**
 * Options of {@link trySelect}.
 *
 * @example
 * ```ts
 * trySelect({ urgent: urgent.receiveCase(), normal: normal.receiveCase() }, { priority: true });
 * ```
 */
export interface TrySelectOptions {
  /** Take the first ready case in `Object.keys` order instead of a random one. */
  priority?: boolean | undefined;
}

/**
 * Marks a case waiter for `complete()` (loop.ts), which looks at `select` only when
 * `signal` is set, so plain hand-offs pay nothing for select. It never aborts and
 * nothing listens to it: the select's own signal is listened to by its `ParkedSelect`.
 */
const CASE_MARK: AbortSignal = new AbortController().signal;

/** Indices of the ready cases, reused by every select (selects never nest). */
const ready: number[] = [];

/**
 * Waits until exactly one case can complete, completes only that one, and resolves
 * `{ key, value, done }`.
 *
 * - Among several ready cases the choice is uniformly random (seed it with
 *   `setRandomSeed`), or the first in `Object.keys` order with `priority: true`.
 * - Losing cases take and leave nothing: no value consumed, none lost, `balance`
 *   unchanged once the select is over.
 * - While parked it counts as a parked sender or receiver on each of its channels;
 *   the first partner to arrive completes it.
 * - A receive case on a closed, drained channel wins with `done: true`. A send case on
 *   a closing channel counts as ready; chosen, the select rejects with
 *   `ChannelClosedError` carrying the value. A send case parked before the close goes
 *   on offering its value, like a parked `send`.
 * - Aborted (or its tasklet killed) while parked, it rejects with the reason and leaves
 *   every channel as if it had never been tried.
 * - The same channel may appear in several cases, even on both sides; a select never
 *   hands a value to itself. A select that completes at once does not yield: like
 *   `trySend`, a partner it wakes goes to the tail of the run queue.
 *
 * @example
 * ```ts
 * const r = await select({ msg: inbox.receiveCase(), timeout: after(1000).receiveCase() });
 * if (r.key === 'msg' && !r.done) console.log('got', r.value);
 * else console.log('timed out');
 * ```
 */
export function select<C extends Cases>(cases: C, options?: SelectOptions): Promise<SelectResult<C>> {
  const keys = checkCases('select()', cases);
  const { signal, priority } = checkSelectOptions('select()', options, true);
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
  if (S.pendingThrows !== 0) {
    const e = takePendingThrow();
    if (e !== NO_THROW) return Promise.reject(e);
  }
  const i = pick(cases, keys, priority);
  if (i >= 0) {
    try {
      return Promise.resolve(commit(cases, keys[i], 'select()') as SelectResult<C>);
    } catch (e) {
      return Promise.reject(e);
    }
  }
  return parkAll(cases, keys, signal);
}

/**
 * Never parks: completes one ready case exactly as {@link select} would and returns its
 * result, or returns `null` when no case is ready — never `null` while one is.
 *
 * @example
 * ```ts
 * const r = trySelect({ a: a.receiveCase(), b: b.receiveCase() });
 * if (r === null) console.log('nothing ready');
 * ```
 */
export function trySelect<C extends Cases>(cases: C, options?: TrySelectOptions): SelectResult<C> | null {
  const keys = checkCases('trySelect()', cases);
  const { priority } = checkSelectOptions('trySelect()', options, false);
  const i = pick(cases, keys, priority);
  return i < 0 ? null : (commit(cases, keys[i], 'trySelect()') as SelectResult<C>);
}

/** The index of the case to take now, or `-1` if none is ready. No side effects. */
function pick(cases: Cases, keys: readonly string[], priority: boolean): number {
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const c = cases[keys[i]];
    if (c._send ? c.channel._canSend() : c.channel._canReceive()) {
      if (priority) return i;
      ready[n++] = i;
    }
  }
  if (n === 0) return -1;
  return n === 1 ? ready[0] : ready[decide(n, 'select', randomBelow)]; // recordable: lib/decisions.ts
}

/** Completes the ready case `key` through the channel's non-parking twin. */
function commit(cases: Cases, key: string, where: string): unknown {
  const c = cases[key];
  const ch = c.channel;
  if (c._send) {
    if (ch.closing) throw new ChannelClosedError(`${where}: send on closed ${ch} (case ${JSON.stringify(key)})`, c.value);
    if (!ch.trySend(c.value)) throw internal(`${ch} was ready to send but trySend failed`);
    return { key, value: undefined, done: false };
  }
  const r = ch.tryReceive(); // a sendThrow'd error propagates: the select rejects with it
  if (r.ok) return { key, value: r.value, done: false };
  if (r.closed) return { key, value: undefined, done: true };
  throw internal(`${ch} was ready to receive but tryReceive found nothing`);
}

/** No case is ready: parks one case waiter per case, and ends the caller's slice. */
function parkAll(cases: Cases, keys: readonly string[], signal: AbortSignal | undefined): Promise<any> {
  const owner = callerTasklet();
  const result = new Waiter(owner, Op.Select, undefined);
  const p = result.promise();
  const parked = new ParkedSelect(result, keys, signal);
  const waiters = parked.waiters;
  for (let i = 0; i < keys.length; i++) {
    const c = cases[keys[i]];
    const w = new Waiter(owner, c._send ? Op.SelectSend : Op.SelectReceive, c._send ? c.value : undefined);
    w.select = parked;
    w.signal = CASE_MARK;
    waiters.push(w);
    (c._send ? c.channel._senders() : c.channel._receivers()).push(w);
  }
  if (signal !== undefined) signal.addEventListener('abort', parked);
  parkSelect(waiters[0]);
  return p;
}

/** A parked select: its case waiters, each in one channel queue, and its result waiter. */
class ParkedSelect implements SelectLink {
  /** One per case, in key order. All sit in their queues until the select settles. */
  readonly waiters: Waiter[] = [];
  /** Settled: its waiters have left their queues and its result is decided. */
  private settled = false;

  constructor(
    /** The waiter the loop settles with the outcome; the party awaits its promise. */
    private readonly result: Waiter,
    private readonly keys: readonly string[],
    private signal: AbortSignal | undefined,
  ) {}

  /**
   * Case waiter `w` has been taken off its queue by a partner, `close()`, an abort or a
   * kill, with this outcome. The others leave their queues now, before any other
   * operation runs, so nobody else can meet this select.
   */
  settle(w: Waiter, failed: boolean, value: unknown): void {
    // Stryker disable next-line ConditionalExpression: an internal assertion: no path settles a select twice
    if (this.settled) throw internal('a select settled twice');
    // Stryker disable next-line BooleanLiteral: equivalent: the abort listener that could settle again is removed below
    this.settled = true;
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) {
      const c = waiters[i];
      if (c.queue !== null) c.queue.remove(c);
    }
    if (this.signal !== undefined) {
      this.signal.removeEventListener('abort', this);
      this.signal = undefined;
    }
    unparkSelect(waiters[0]);
    if (failed) {
      complete(this.result, true, value);
      return;
    }
    const key = this.keys[waiters.indexOf(w)];
    if (w.op === Op.SelectSend) complete(this.result, false, { key, value: undefined, done: false });
    else if (value === ITER_DONE) complete(this.result, false, { key, value: undefined, done: true });
    else complete(this.result, false, { key, value, done: false });
  }

  /** `AbortSignal` listener: the select leaves every queue and rejects with the reason. */
  handleEvent(): void {
    if (!this.settled && this.signal !== undefined) this.settle(this.waiters[0], true, this.signal.reason);
  }

  describe(): string {
    const parts = this.waiters.map((w) => `${w.op === Op.SelectSend ? 'sends on' : 'receives on'} ${w.queue === null ? 'nothing' : String(w.queue.holder)}`);
    return `selects: ${parts.join(', ')}`;
  }
}

function checkCases(where: string, cases: unknown): string[] {
  if (cases === null || typeof cases !== 'object' || Array.isArray(cases)) {
    throw new TypeError(`${where}: cases must be an object of named cases, received ${show(cases)}`);
  }
  const keys = Object.keys(cases);
  if (keys.length === 0) throw new TypeError(`${where}: cases must hold at least one case, received an empty object`);
  for (const key of keys) {
    const c = (cases as Record<string, unknown>)[key];
    if (!(c instanceof ReceiveCase || c instanceof SendCase) || !(c.channel instanceof Channel)) {
      throw new TypeError(
        `${where}: case ${JSON.stringify(key)} must come from channel.receiveCase() or channel.sendCase(value), received ${show(c)}`,
      );
    }
  }
  return keys;
}

function checkSelectOptions(where: string, options: unknown, parks: boolean): { signal: AbortSignal | undefined; priority: boolean } {
  const o = checkOptions(where, options, parks ? ['signal', 'priority'] : ['priority']);
  if (o === undefined) return { signal: undefined, priority: false };
  const priority = o.priority ?? false;
  if (typeof priority !== 'boolean') throw new TypeError(`${where}: option "priority" must be a boolean, received ${show(priority)}`);
  return { signal: checkSignal(where, o.signal), priority };
}

function internal(message: string): Error {
  return new Error(`tasklets: internal error: ${message}`);
}
