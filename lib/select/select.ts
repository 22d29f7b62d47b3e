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
 * When changing this file, run `npx jest spec/select spec/time`.
 */
import { type Case, ReceiveCase, type RemoteCase, SendCase } from '../channel/case';
import { Channel, ITER_DONE } from '../channel/channel';
import { ChannelClosedError } from '../base/errors';
import { batchSpent, callerTasklet, complete, owedThrow, parkSelect, unparkSelect, yieldWith } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import { decide } from './choice';
import { randomBelow } from './random';
import { checkOptions, checkSignal, show } from '../base/validate';
import { holderOf, Op, type SelectLink, unlisten, Waiter } from '../core/waiter';

export { type Case, ReceiveCase, type RemoteCase, SendCase } from '../channel/case';

/**
 * The cases of a select: an object of named cases.
 *
 * @example
 * ```ts
 * const cases = { job: jobs.receiveCase(), quit: quit.receiveCase() } satisfies Cases;
 * ```
 */
export type Cases = {
  /** A case, under the key that names it in the result (a case of another thread's channel: `select` only). */
  readonly [key: string]: Case | RemoteCase;
};

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

/**
 * The result of a select won by case `X` under key `K`: what {@link SelectResult} is made
 * of. It distributes over a union of cases (cases built at run time).
 *
 * @example
 * ```ts
 * const r: CaseResult<'job', ReceiveCase<string>> = await select({ job: jobs.receiveCase() });
 * if (!r.done) console.log(r.value.toUpperCase());
 * ```
 */
export type CaseResult<K extends string, X> = X extends ReceiveCase<infer T> | RemoteCase<infer T, false>
  ? | {
        /** The key of the winning case. */
        readonly key: K;
        /** The value received. */
        readonly value: T;
        /** `false`: a value was received. */
        readonly done: false;
      }
    | {
        /** The key of the winning case. */
        readonly key: K;
        /** `undefined`: nothing was received. */
        readonly value: undefined;
        /** `true`: the channel was closed and drained (end-of-channel). */
        readonly done: true;
      }
  : {
      /** The key of the winning case. */
      readonly key: K;
      /** `undefined`: a send gives nothing back. */
      readonly value: undefined;
      /** Always `false` for a send. */
      readonly done: false;
    };

/**
 * Options of {@link select}.
 *
 * @example
 * ```ts
 * await select(cases, { signal: timeoutSignal(1000), priority: true });
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

/** Where the ready cases start in a select's `CaseList`, reused by every select (`pick` runs no user code, so selects never nest here). */
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
 *   hands a value to itself. A select that completes at once does not yield (like
 *   `trySend`, a partner it wakes goes to the tail of the run queue) — unless the
 *   loop's batch is spent: it counts toward it like a send, so the host gets its turn.
 * - Parked with several cases on one side of one channel, the partner completes a
 *   uniformly random one of them (Go's pseudo-random send), or the first in key order
 *   with `priority: true`.
 *
 * @example
 * ```ts
 * const inbox = new Channel<string>({ name: 'inbox' });
 * const r = await select({ msg: inbox.receiveCase(), timeout: after(100).receiveCase() });
 * if (r.key === 'msg' && !r.done) console.log('got', r.value);
 * else console.log('timed out'); // timed out
 * ```
 */
export function select<C extends Cases>(cases: C, options?: SelectOptions): Promise<SelectResult<C>> {
  const list = readCases('select()', cases);
  if (list === null) return across!.select(cases, checkSelectOptions('select()', options, true)) as Promise<SelectResult<C>>;
  const { signal, priority } = checkSelectOptions('select()', options, true);
  if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
  const owed = owedThrow();
  if (owed !== null) return owed;
  const i = pick(list, priority);
  if (i < 0) return parkAll(list, signal, priority);
  let failed = false;
  let outcome: unknown;
  try {
    outcome = commit(list, i, 'select()');
  } catch (e) {
    failed = true;
    outcome = e;
  }
  // It completed without parking: it counts toward the batch like a send that did not
  // park, and once the batch is spent it yields through the run queue (loop.ts,
  // invariant 5), so a select loop never starves the host.
  if (batchSpent()) return yieldWith(Op.Yield, failed, outcome);
  return failed ? Promise.reject(outcome) : Promise.resolve(outcome as SelectResult<C>);
}

/**
 * Never parks: completes one ready case exactly as {@link select} would and returns its
 * result, or returns `null` when no case is ready — never `null` while one is. A case it
 * completes counts toward the loop's batch, as a select's does: a loop that calls it
 * and awaits library operations still lets the host run.
 *
 * @example
 * ```ts
 * const a = new Channel<number>({ capacity: 1 }), b = new Channel<number>({ capacity: 1 });
 * console.log(trySelect({ a: a.receiveCase(), b: b.receiveCase() })); // null
 * b.trySend(7);
 * console.log(trySelect({ a: a.receiveCase(), b: b.receiveCase() })); // { key: 'b', value: 7, done: false }
 * ```
 */
export function trySelect<C extends Cases>(cases: C, options?: TrySelectOptions): SelectResult<C> | null {
  const list = readCases('trySelect()', cases);
  if (list === null) throw new TypeError(`trySelect(): a case on a channel of another thread cannot be tried without waiting; use select()`);
  const { priority } = checkSelectOptions('trySelect()', options, false);
  const i = pick(list, priority);
  if (i < 0) return null;
  batchSpent(); // counted; it cannot yield, so the caller's next operation will
  return commit(list, i, 'trySelect()') as SelectResult<C>;
}

/**
 * The cases of one select, read once, before anything changes: case `i`'s key, channel,
 * side and value sit at `4i` … `4i + 3`. Nothing after this reads the user's object, so
 * a getter that throws (or answers differently on a second read) can fail the select
 * only here, where it has not touched any channel yet.
 */
type CaseList = unknown[];
const KEY = 0;
const CHANNEL = 1;
const SENDS = 2;
const VALUE = 3;

/** Where in `list` the case to take now starts (a multiple of 4), or `-1` if none is ready. No side effects. */
function pick(list: CaseList, priority: boolean): number {
  let n = 0;
  for (let i = 0; i < list.length; i += 4) {
    const ch = list[i + CHANNEL] as Channel<unknown>;
    if (list[i + SENDS] ? ch._canSend() : ch._canReceive()) {
      if (priority) return i;
      ready[n++] = i;
    }
  }
  if (n === 0) return -1;
  return n === 1 ? ready[0] : ready[decide(n, 'select', randomBelow)]; // recordable: lib/inspect/decisions.ts
}

/** Completes the ready case that starts at `i` in `list` through the channel's non-parking twin. */
function commit(list: CaseList, i: number, where: string): unknown {
  const key = list[i + KEY] as string;
  const ch = list[i + CHANNEL] as Channel<unknown>;
  if (list[i + SENDS]) {
    const value = list[i + VALUE];
    if (ch.closing) throw new ChannelClosedError(`${where}: send on closed ${ch} (case ${JSON.stringify(key)})`, value);
    if (!ch.trySend(value)) throw internal(`${ch} was ready to send but trySend failed`);
    return { key, value: undefined, done: false };
  }
  const r = ch.tryReceive(); // a sendThrow'd error propagates: the select rejects with it
  if (r.ok) return { key, value: r.value, done: false };
  if (r.closed) return { key, value: undefined, done: true };
  throw internal(`${ch} was ready to receive but tryReceive found nothing`);
}

/**
 * No case is ready: parks one case waiter per case, and ends the caller's slice.
 *
 * The order in which the waiters join their queues matters only between cases on the
 * same side of the same channel: a partner takes the older. Go enqueues a select's
 * cases in random order, so that `select { case c <- 0: case c <- 1: }` is a random
 * bit; so does this, through the library's one seedable source (`decide`, so record
 * and replay see it), and only when two cases share a queue — a select without such
 * cases draws nothing. With `priority`, key order.
 */
function parkAll(list: CaseList, signal: AbortSignal | undefined, priority: boolean): Promise<any> {
  const owner = callerTasklet();
  const result = new Waiter(owner, Op.Select, undefined);
  const n = list.length >> 2;
  const parked = new ParkedSelect(result, list, signal);
  // User code (the signal's own method) runs before any waiter joins a queue: if it
  // throws, nothing has changed.
  if (signal !== undefined) signal.addEventListener('abort', parked);
  const p = result._promise();
  const waiters = parked.waiters;
  for (let i = 0; i < n; i++) {
    const sends = list[4 * i + SENDS] as boolean;
    waiters.push(new CaseWaiter(owner, sends ? Op.SelectSend : Op.SelectReceive, sends ? list[4 * i + VALUE] : undefined, parked));
  }
  const order = priority || !sharesQueue(list) ? null : shuffled(n);
  for (let j = 0; j < n; j++) {
    const i = order === null ? j : order[j];
    const ch = list[4 * i + CHANNEL] as Channel<unknown>;
    ch._push(waiters[i]);
  }
  parkSelect(waiters[0]);
  return p;
}

/** A case waiter: one per case of a parked select, in its channel's queue, tied to its select. */
class CaseWaiter extends Waiter {
  declare _select: SelectLink;

  constructor(owner: Tasklet | undefined, op: Op, value: unknown, select: SelectLink) {
    super(owner, op, value);
    this._select = select;
    this._signal = CASE_MARK;
  }
}

/** Whether two cases wait in the same queue (same channel, same side). */
function sharesQueue(list: CaseList): boolean {
  for (let i = 4; i < list.length; i += 4) {
    for (let j = 0; j < i; j += 4) {
      if (list[i + CHANNEL] === list[j + CHANNEL] && list[i + SENDS] === list[j + SENDS]) return true;
    }
  }
  return false;
}

/** `0 … n-1` in a uniformly random order (Fisher–Yates), drawn through `decide`. */
function shuffled(n: number): number[] {
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = decide(i + 1, 'select park', randomBelow);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
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
    /** The select's cases, as read once (the keys are what `settle` needs). */
    private readonly list: CaseList,
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
      if (c._queue !== null) c._queue._unlink(c);
    }
    if (this.signal !== undefined) {
      unlisten(this.signal, this); // never throws: this runs inside a partner's hand-off
      this.signal = undefined;
    }
    unparkSelect(waiters[0]);
    if (failed) {
      complete(this.result, true, value);
      return;
    }
    const key = this.list[4 * waiters.indexOf(w) + KEY] as string;
    if (w._op === Op.SelectSend) complete(this.result, false, { key, value: undefined, done: false });
    else if (value === ITER_DONE) complete(this.result, false, { key, value: undefined, done: true });
    else complete(this.result, false, { key, value, done: false });
  }

  /** `AbortSignal` listener: the select leaves every queue and rejects with the reason. */
  handleEvent(): void {
    if (!this.settled && this.signal !== undefined) this.settle(this.waiters[0], true, this.signal.reason);
  }

  describe(): string {
    const parts = this.waiters.map((w) => `${w._op === Op.SelectSend ? 'sends on' : 'receives on'} ${w._queue === null ? 'nothing' : String(holderOf(w))}`);
    return `selects: ${parts.join(', ')}`;
  }
}

/**
 * Checks `cases` and reads it once into a `CaseList`. Each case is read once (a getter
 * runs once), and every check that could meet a Proxy is trap-safe: `Channel._is` is a
 * private-brand check, and `instanceof` runs inside `try`.
 */
function readCases(where: string, cases: unknown): CaseList | null {
  if (cases === null || typeof cases !== 'object' || isArray(cases)) {
    throw new TypeError(`${where}: cases must be an object of named cases, received ${show(cases)}`);
  }
  const keys = Object.keys(cases);
  if (keys.length === 0) throw new TypeError(`${where}: cases must hold at least one case, received an empty object`);
  const list: CaseList = new Array(4 * keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const c = (cases as Record<string, unknown>)[key];
    const sends = isCase(c);
    const ch = sends === null ? undefined : (c as Case).channel;
    if (sends === null || !Channel._is(ch)) {
      if (across !== null && across.is(c)) return null;
      throw new TypeError(`${where}: case ${JSON.stringify(key)} must come from channel.receiveCase() or channel.sendCase(value), received ${show(c)}`);
    }
    list[4 * i + KEY] = key;
    list[4 * i + CHANNEL] = ch;
    list[4 * i + SENDS] = sends;
    list[4 * i + VALUE] = sends ? (c as SendCase<unknown>).value : undefined;
  }
  return list;
}

/** `true` for a send case, `false` for a receive case, `null` for anything else. */
function isCase(c: unknown): boolean | null {
  if (c === null || typeof c !== 'object') return null;
  try {
    if (c instanceof ReceiveCase) return false;
    if (c instanceof SendCase) return true;
  } catch {
    // A Proxy whose getPrototypeOf trap throws is not a case.
  }
  return null;
}

/** `Array.isArray`, which throws for a revoked Proxy: that is not an array of cases either. */
function isArray(x: object): boolean {
  try {
    return Array.isArray(x);
  } catch {
    return false;
  }
}

/**
 * Selects with a case on a channel of another thread (`RemoteChannel.receiveCase()`):
 * lib/worker/select.ts, a room above, installs how they are told and carried out.
 */
let across: { is(c: unknown): boolean; select(cases: Cases, options: { signal: AbortSignal | undefined; priority: boolean }): Promise<unknown> } | null = null;

/** @internal Installs the select of lib/worker/select.ts. */
export function _setSelectAcross(a: typeof across): void {
  across = a;
}

const NO_OPTIONS = Object.freeze({ signal: undefined, priority: false });

function checkSelectOptions(where: string, options: unknown, parks: boolean): { signal: AbortSignal | undefined; priority: boolean } {
  if (options === undefined) return NO_OPTIONS;
  const o = checkOptions(where, options, parks ? ['signal', 'priority'] : ['priority'])!;
  const priority = o.priority === undefined ? false : o.priority;
  if (typeof priority !== 'boolean') throw new TypeError(`${where}: option "priority" must be a boolean, received ${show(priority)}`);
  return { signal: checkSignal(where, o.signal), priority };
}

function internal(message: string): Error {
  return new Error(`tasklets: internal error: ${message}`);
}
