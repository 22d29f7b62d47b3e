/**
 * Tasklets: async functions run by the loop, in creation order, one slice at a time.
 *
 * A tasklet's state is derived from where it waits (`_waiter`, see loop.ts invariant 1):
 * runnable (on the run queue), blocked (parked in a wait queue), paused (taken off the
 * run queue by `remove()`), outside (awaiting something the library does not own) or
 * running; `_alive` turns false exactly once, when its function settles.
 */
import { captureContext, type ContextRunner } from '../host/context';
import { asyncDisposeSymbol } from '../base/dispose';
import { TaskletExit } from '../base/errors';
import {
  callerTasklet,
  cancelRunnable,
  complete,
  deferEndSlice,
  enqueue,
  owePendingThrow,
  register,
  reportEscaped,
  RESOLVED,
  setPaused,
  unpark,
  unregister,
  waitsIn,
} from './loop';
import { checkName, checkOptions, checkSignal, show } from '../base/validate';
import { holderOf, Op, OUTSIDE, Waiter, WAITER_BITS, WaitQueue } from './waiter';

/** Options of {@link tasklet}. */
export interface TaskletOptions {
  /** Names the tasklet in errors, deadlock reports and `toString()`. */
  name?: string | undefined;
  /**
   * Kills the tasklet when aborted, exactly as `kill()` would: `TaskletExit` where it is
   * suspended, its `finally` blocks run, `join()` resolves `undefined`. Already aborted
   * when the tasklet is created, the tasklet ends at once and its function is never
   * called. The tasklet stops listening when it ends, however it ends.
   */
  signal?: AbortSignal | undefined;
}

/**
 * The key under which Node's `util.inspect` (and so `console.log`) looks for a custom
 * rendering. A registered symbol, so the core stays free of Node imports: elsewhere it
 * is an ordinary, unused method.
 */
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

/** Marks a joiner that `kill()`/`throw()` parked: it resolves `undefined` whatever the outcome. */
const KILLER = Symbol('killer');

let nextId = 1;
const NO_ARGS: unknown[] = [];

/** `Tasklet._bits`, above the waiter's own bits (lib/core/waiter.ts). */
const ALIVE = WAITER_BITS;
const PAUSED = WAITER_BITS << 1;

const OWES = WAITER_BITS << 3;
/** Finished with an error (`_end` is the error). */
const FAILED = WAITER_BITS << 4;
/** Someone asked for the result: an escaping error is theirs, not `run()`'s. */
const JOINED = WAITER_BITS << 5;
/** Its function has been called (`_end` is no longer a context). */
const STARTED = WAITER_BITS << 6;

/** @internal What a factory's tasklets share: one record per `tasklet(fn, options)` call. */
export interface Kind {
  readonly fn: (...args: any[]) => unknown;
  readonly name: string;
}

/** @internal The part of a tasklet few need, made on first use (`Tasklet.rare()`). */
class TaskletRare {
  /** A deferred `kill()`/`throw()` it owes. */
  thrown: unknown = undefined;
  /** Parties waiting in `join()`/`kill()` for its end. */
  joiners: WaitQueue | null = null;
}

/**
 * The `signal` option. One listener per signal, however many tasklets share it (a
 * shutdown signal may serve thousands: one listener each would trip Node's leak warning
 * at eleven and make every removal a walk of the list), and each tasklet's entry goes
 * when it ends. Kept here rather than in a field, so that a tasklet without a signal pays
 * nothing for it — a field would cost every parked tasklet (docs/10-benchmarks.md) —
 * but one `size` check when it ends.
 */
const groupOf = new Map<Tasklet, SignalGroup>();
const groups = new Map<AbortSignal, SignalGroup>();

/** The live tasklets made with one signal, and that signal's listener (no closure). */
class SignalGroup {
  /** In creation order: an abort kills them in that order. */
  readonly tasklets = new Set<Tasklet>();

  constructor(readonly signal: AbortSignal) {}

  handleEvent(): void {
    // Killing one may end it at once (and take it out of the set): walk a copy.
    for (const t of [...this.tasklets]) t._abort();
  }
}

/** Ties `t` to `signal`: aborted now, `t` ends before it starts; later, it is killed. */
function watchSignal(t: Tasklet, signal: AbortSignal): void {
  if (signal.aborted) {
    t._abort();
    return;
  }
  let group = groups.get(signal);
  if (group === undefined) {
    group = new SignalGroup(signal);
    groups.set(signal, group);
    signal.addEventListener('abort', group);
  }
  group.tasklets.add(t);
  groupOf.set(t, group);
}

/** `t` ended: it leaves its signal's group, and the last one out removes the listener. */
function unwatchSignal(t: Tasklet): void {
  const group = groupOf.get(t);
  if (group === undefined) return;
  groupOf.delete(t);
  group.tasklets.delete(t);
  if (group.tasklets.size === 0) {
    groups.delete(group.signal);
    group.signal.removeEventListener('abort', group);
  }
}

/**
 * A running async function, scheduled by the loop. Create one with {@link tasklet}.
 *
 * @example
 * ```ts
 * const t = tasklet(async (n: number) => n * 2, { name: 'double' })(21);
 * console.log(t.name, t.alive);   // "double" true
 * console.log(await t.join());    // 42
 * ```
 */
export class Tasklet<R = unknown> extends Waiter {
  /** Unique, increasing with creation order. */
  readonly id: number;

  // The record is kept small and of one shape: a parked tasklet is mostly this record and
  // its async function (docs/10-benchmarks.md). Flags share one small integer; what few
  // tasklets need lives in `_rare`, made on first use; what its factory shares (the
  // function, the name) lives in `_kind`.

  /** @internal Its factory's function and name, shared by every tasklet the factory makes. */
  _kind: Kind;
  /**
   * @internal Where it waits: its run-queue entry or its parked waiter — most often the
   * tasklet itself, which is a waiter for its plain operations (it waits on one thing at
   * a time; a select, a join and a paused tasklet put back use waiters of their own);
   * `null` while running or outside.
   */
  _waiter: Waiter | null = null;
  /** @internal Links in the loop's registry of live tasklets. */
  _older: Tasklet | null = null;
  /** @internal */ _newer: Tasklet | null = null;
  /**
   * @internal One slot, three lives. Until it starts: the host context to start in
   * (lib/host/context.ts), or `null` (its arguments wait in `_value`, the value of its Start
   * operation; a lone argument stays in its array: without it, 10,000 more instructions
   * per player in a game of 30,000, measured under callgrind). While it runs: the
   * promise derived from the one reaction that watches its function (see `begin`);
   * once it waits outside, a frame named after it awaits that promise (lib/core/outside.ts).
   * Once it has finished: its result, or its error (`FAILED`). `STARTED` and `ALIVE`
   * tell the three apart.
   */
  _end: unknown;
  /** @internal The rarely needed part: an owed throw, joiners. */
  _rare: TaskletRare | null = null;

  /** @internal Use {@link tasklet}. */
  constructor(kind: Kind, args: unknown[]) {
    super(undefined, Op.Start, args);
    this._owner = this;
    this.id = nextId++;
    this._kind = kind;
    this._bits |= ALIVE;
    this._end = captureContext === null ? null : captureContext();
    register(this);
    enqueue(this);
  }

  /** The `name` option, else the function's name, else `'tasklet'`; used in every error and report. */
  get name(): string {
    return this._kind.name;
  }

  /** @internal Not finished. */
  get _alive(): boolean {
    return (this._bits & ALIVE) !== 0;
  }

  /** @internal Taken off the run queue by `remove()`. */
  get _paused(): boolean {
    return (this._bits & PAUSED) !== 0;
  }
  /** @internal */
  set _paused(on: boolean) {
    this._bits = on ? this._bits | PAUSED : this._bits & ~PAUSED;
  }

  /** @internal Its last slice ended on an await the library does not own. */
  get _outside(): boolean {
    return (this._bits & OUTSIDE) !== 0;
  }
  /** @internal */
  set _outside(on: boolean) {
    this._bits = on ? this._bits | OUTSIDE : this._bits & ~OUTSIDE;
  }

  /** @internal A `kill()`/`throw()` is owed at its next library operation (`_thrown`). */
  get _owesThrow(): boolean {
    return (this._bits & OWES) !== 0;
  }
  /** @internal */
  set _owesThrow(on: boolean) {
    this._bits = on ? this._bits | OWES : this._bits & ~OWES;
  }

  /** @internal What it owes (see `_owesThrow`). */
  get _thrown(): unknown {
    return this._rare === null ? undefined : this._rare.thrown;
  }
  /** @internal */
  set _thrown(error: unknown) {
    if (error !== undefined || this._rare !== null) this.rare().thrown = error;
  }

  /** @internal Its rare record, made on first use. */
  rare(): TaskletRare {
    return this._rare ?? (this._rare = new TaskletRare());
  }

  /** Not finished yet. */
  get alive(): boolean {
    return (this._bits & ALIVE) !== 0;
  }

  /** Parked in the library: on a channel, or waiting for another tasklet to finish. */
  get blocked(): boolean {
    return this._waiter !== null && this._waiter._queue !== null;
  }

  /** Runnable, running or blocked, as in Stackless: alive and not paused. */
  get scheduled(): boolean {
    return this._alive && !this._paused;
  }

  /** Alive but neither runnable nor blocked: taken off the run queue by `remove()`. */
  get paused(): boolean {
    return this._paused;
  }

  /**
   * The result of the tasklet's function: resolves with its value, rejects with its
   * error; resolves `undefined` if it ended by `kill()`. Call it any number of times,
   * before or after the end. A tasklet that awaits `join()` is blocked until then.
   *
   * @example
   * ```ts
   * const t = tasklet(async () => { throw new Error('boom'); })();
   * await t.join().catch((e) => console.log(e.message)); // "boom"
   * ```
   */
  join(): Promise<R> {
    this._bits |= JOINED;
    if (!this._alive) return ((this._bits & FAILED) !== 0 ? Promise.reject(this._end) : Promise.resolve(this._end)) as Promise<R>;
    return this.waitForEnd(undefined);
  }

  /**
   * Ends the tasklet: unparks it (its channel is left as if it had never waited) and
   * throws `TaskletExit` into it where it is suspended, so its `finally` blocks run.
   * Resolves once it has finished unwinding. No-op on a finished tasklet; a tasklet
   * killing itself gets `TaskletExit` thrown at once. A tasklet that never started
   * just ends. One that was runnable with a completed operation (a value received, or
   * a send whose value was taken) keeps that result and gets `TaskletExit` at its next
   * library operation, so nothing sent is lost or reported lost.
   *
   * @example
   * ```ts
   * const t = tasklet(async () => { await new Channel().receive(); })();
   * await schedule();   // t parks
   * await t.kill();
   * console.log(t.alive); // false
   * ```
   */
  kill(): Promise<void> {
    return this.raise(new TaskletExit(`${this} was killed`));
  }

  /**
   * Like {@link kill}, but throws `error`; escaping, it fails the tasklet like any
   * error (its `join()` rejects with it).
   *
   * @example
   * ```ts
   * const t = tasklet(async () => { await new Channel().receive(); })();
   * const ended = t.join().catch((e) => console.log(e.message)); // "stop"
   * await schedule();
   * await t.throw(new Error('stop')); // joined before, so not an unhandled rejection
   * await ended;
   * ```
   */
  throw(error: unknown): Promise<void> {
    return this.raise(error);
  }

  /**
   * Kills the tasklet and waits for it to unwind when an `await using` block ends
   * (`Symbol.asyncDispose`; see lib/base/dispose.ts for runtimes without it). Its result or
   * error stays available through `join()`; disposal itself never rejects with it.
   *
   * @example
   * ```ts
   * {
   *   await using t = tasklet(async () => { for (;;) await schedule(); })();
   *   await schedule();
   * } // t.kill() here, awaited
   * ```
   */
  [asyncDisposeSymbol](): Promise<void> {
    return this.kill();
  }

  /**
   * Takes a runnable tasklet off the run queue: it stays alive but paused until
   * `insert()`. No-op on a paused or finished tasklet; a blocked or running one cannot
   * be removed (`TypeError`).
   *
   * @example
   * ```ts
   * const t = tasklet(async () => console.log('ran'))();
   * t.remove();
   * await run();   // resolves at once: paused tasklets do not keep it waiting
   * t.insert();    // now it runs
   * ```
   */
  remove(): this {
    if (!this._alive || this._paused) return this;
    const w = this._waiter;
    if (w === null || !w._inRunq) {
      throw new TypeError(`remove(): ${this} is ${this.blocked ? 'blocked' : 'running'}; only a runnable tasklet can be removed`);
    }
    setPaused(this, true, w);
    return this;
  }

  /**
   * Puts a paused tasklet back at the tail of the run queue. No-op on a scheduled
   * tasklet; `TypeError` on a finished one.
   *
   * @example
   * ```ts
   * const t = tasklet(async () => {})().remove();
   * t.insert();
   * await t.join();
   * ```
   */
  insert(): this {
    if (!this._alive) throw new TypeError(`insert(): ${this} has finished`);
    if (!this._paused) return this;
    setPaused(this, false, null);
    const old = this._waiter!;
    const w = new Waiter(this, old._op, old._value);
    w._failed = old._failed;
    w._resolve = old._resolve;
    enqueue(w);
    return this;
  }

  /**
   * `tasklet "name" (#id)`, as errors and reports name it.
   *
   * @example
   * ```ts
   * const t = tasklet(async () => {}, { name: 'worker' })();
   * console.log(String(t)); // tasklet "worker" (#1)
   * ```
   */
  override toString(): string {
    return `tasklet ${JSON.stringify(this.name)} (#${this.id})`;
  }

  /**
   * How `util.inspect` and `console.log` show a tasklet under Node: one line with its
   * name, id and state, instead of its internal fields — `Tasklet "worker" #3 (blocked:
   * receives on channel "jobs")`. The state is `runnable`, `runnable, not started`,
   * `running`, `blocked: <what it waits on>`, `paused`, `waiting outside the library`,
   * `finished` or `failed`.
   *
   * @example
   * ```ts
   * const t = tasklet(async () => {}, { name: 'worker' })();
   * console.log([t]); // [ Tasklet "worker" #1 (runnable, not started) ]
   * ```
   */
  [inspectCustom](_depth?: number | null, options?: { stylize?: (text: string, style: string) => string }): string {
    const style = options?.stylize ?? ((text: string) => text);
    return `${style('Tasklet', 'special')} ${style(JSON.stringify(this.name), 'string')} ${style(`#${this.id}`, 'number')} (${this.state()})`;
  }

  /** Its state in words, for `util.inspect`. */
  private state(): string {
    if (!this._alive) return (this._bits & FAILED) !== 0 ? 'failed' : 'finished';
    if (this._paused) return 'paused';
    const w = this._waiter;
    if (w !== null && w._queue !== null) {
      if (w._select !== undefined) return `blocked: ${w._select.describe()}`;
      const holder = String(holderOf(w));
      if (w._op === Op.Join) return `blocked: waits for ${holder}`;
      return `blocked: ${w._op === Op.Send ? 'sends on' : 'receives on'} ${holder}`;
    }
    if (w !== null && w._inRunq) return w._op === Op.Start ? 'runnable, not started' : 'runnable';
    // Neither parked nor queued: in flight, or its slice just ended on an await the loop has not seen yet.
    return this._outside ? 'waiting outside the library' : 'running';
  }

  /**
   * @internal First run, in its own microtask.
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  _start(): void {
    if (!this._alive) return;
    const context = this._end as ContextRunner | null;
    this._end = null;
    this._bits |= STARTED;
    if (context === null) begin(this);
    else context.runInAsyncScope(begin, null, this); // inside its creator's host context (lib/host/context.ts)
  }

  /** @internal The tasklet's function fulfilled (a reaction made by `begin`). */
  _succeed(value: unknown): void {
    this.finish(false, value);
  }

  /** @internal The tasklet's function rejected or threw. */
  _fail(error: unknown): void {
    this.finish(true, error);
  }

  /** @internal Calls the tasklet's function, once, forgetting it and its arguments. */
  _call(): unknown {
    const data = this._value;
    this._value = undefined;
    const fn = this._kind.fn; // called as a plain function: no `this`, and stack frames named as before
    return fn(...(data as unknown[]));
  }

  private finish(failed: boolean, value: unknown): void {
    if (!this._alive) return;
    if (groupOf.size !== 0) unwatchSignal(this);
    if (failed && value instanceof TaskletExit) {
      failed = false;
      value = undefined;
    }
    this._bits = (this._bits & ~ALIVE) | (failed ? FAILED : 0);
    this._end = value;
    const rare = this._rare;
    const joiners = rare === null ? null : rare.joiners;
    if (joiners !== null) {
      for (let w = joiners.shift(); w !== null; w = joiners.shift()) {
        if (w._value === KILLER) complete(w, false, undefined);
        else complete(w, failed, value);
      }
      rare!.joiners = null;
    }
    if (failed && (this._bits & JOINED) === 0) reportEscaped(value);
    unregister(this);
  }

  private waitForEnd(marker: unknown): Promise<any> {
    const rare = this.rare();
    if (rare.joiners === null) rare.joiners = new WaitQueue(this);
    const owner = callerTasklet();
    const w = new Waiter(owner, Op.Join, marker);
    const p = w._promise();
    rare.joiners.push(w);
    if (owner !== undefined) waitsIn(owner, w);
    // join() and kill() are often called without await; end the slice after this run.
    deferEndSlice();
    return p;
  }

  private raise(error: unknown): Promise<void> {
    if (!this._alive) return RESOLVED;
    if (callerTasklet() === this) throw error;
    return this.interrupt(error) ? this.waitForEnd(KILLER) : RESOLVED;
  }

  /**
   * @internal Its `signal` was aborted: `kill()` without waiting for the end (an abort
   * listener has nobody to hand a promise to). Aborted by its own code, it cannot have
   * `TaskletExit` thrown at the `abort()` call (an event listener's throw is not the
   * caller's), so it gets it at its next library operation.
   */
  _abort(): void {
    if (!this._alive) return;
    const exit = new TaskletExit(`${this} was killed: its signal was aborted`);
    if (callerTasklet() === this) owePendingThrow(this, exit);
    else this.interrupt(exit);
  }

  /**
   * Throws `error` into the tasklet, alive and not the caller, where it waits (see
   * `kill()`). Returns false if that ended it at once: it had never started.
   */
  private interrupt(error: unknown): boolean {
    const w = this._waiter;
    if ((this._bits & STARTED) === 0) {
      // Never ran: it ends here, its function never called.
      if (w !== null) cancelRunnable(w);
      this._end = null; // its context
      this.finish(true, error);
      return false;
    }
    if (w !== null && w._queue !== null) {
      unpark(w, true, error);
    } else if (w !== null && w._op === Op.Schedule && !w._failed) {
      // Runnable after schedule(): raise at that await.
      w._failed = true;
      w._value = error;
      if (this._paused) this.insert();
    } else {
      // Runnable with a completed operation, or outside: raise at its next operation.
      owePendingThrow(this, error);
      if (this._paused) this.insert();
    }
    return true;
  }
}

/**
 * Calls a tasklet's function and watches it end with one reaction (`then`, with the
 * tasklet's own two methods bound) rather than an async function awaiting it: a parked
 * tasklet then holds four objects for it instead of eight, about 300 bytes less. The
 * reaction runs in the same tick an `await` would. Its derived promise is kept for
 * lib/core/outside.ts: V8's async stack traces follow a `then` chain to it, so a frame
 * named after the tasklet that awaits it shows in the stack of the tasklet's code.
 */
function begin(t: Tasklet): void {
  let result: Promise<unknown>;
  try {
    // Promise.resolve hands back a native promise as it is, and adopts anything else the
    // way `await` does (a thenable is followed, a value becomes a settled promise).
    result = Promise.resolve(t._call());
  } catch (e) {
    t._fail(e); // finished: nothing reads `_end` of a finished tasklet
    return;
  }
  t._end = result.then(t._succeed.bind(t), t._fail.bind(t));
}

/**
 * Makes a tasklet factory: calling the result with `...args` creates a {@link Tasklet}
 * bound to `fn(...args)` and appends it to the tail of the run queue. Nothing of `fn`
 * runs synchronously; tasklets start in creation order. With `options.signal`, every
 * tasklet of the factory is killed when the signal aborts (see {@link TaskletOptions}).
 *
 * @example
 * ```ts
 * const ch = new Channel<number>();
 * const producer = tasklet(async (n: number) => { for (let i = 0; i < n; i++) await ch.send(i); ch.close(); });
 * const consumer = tasklet(async () => { for await (const v of ch) console.log(v); }, { name: 'consumer' }); // 0 1 2
 * producer(3);
 * consumer();
 * await run();
 * ```
 *
 * @example
 * ```ts
 * const jobs = new Channel<string>({ name: 'jobs' });
 * const shutdown = new AbortController();
 * const worker = tasklet(async () => { for await (const job of jobs) console.log(job); }, { signal: shutdown.signal });
 * const w = worker();
 * await schedule();            // w starts and parks on jobs
 * shutdown.abort();            // w gets TaskletExit where it waits
 * console.log(await w.join()); // undefined
 * ```
 */
export function tasklet<A extends unknown[], R>(fn: (...args: A) => R, options?: TaskletOptions): (...args: A) => Tasklet<Awaited<R>> {
  if (typeof fn !== 'function') throw new TypeError(`tasklet(): fn must be a function, received ${show(fn)}`);
  const o = checkOptions('tasklet()', options, ['name', 'signal']);
  // The default name is read once per factory: `fn.name` is an accessor, dear per tasklet.
  const name = checkName('tasklet()', o?.name) ?? (fn.name || 'tasklet');
  const signal = checkSignal('tasklet()', o?.signal);
  const kind: Kind = { fn: fn as (...args: any[]) => unknown, name };
  if (signal === undefined) {
    return (...args: A) => new Tasklet<Awaited<R>>(kind, args.length === 0 ? NO_ARGS : args);
  }
  return (...args: A) => {
    const t = new Tasklet<Awaited<R>>(kind, args.length === 0 ? NO_ARGS : args);
    watchSignal(t, signal);
    return t;
  };
}
