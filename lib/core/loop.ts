/**
 * The run loop: one FIFO run queue of parties whose next step is decided, and the one
 * party whose code is running now.
 *
 * A *party* is a tasklet, or plain code (outside any tasklet) awaiting a library
 * operation. A party leaves the loop's hands when its operation parks, and comes back
 * through the run queue: the loop settles its promise, and its code resumes in the
 * next microtask. The loop settles exactly one promise at a time and settles the next
 * only when the running party's slice has ended — so it always knows which party runs,
 * and a hand-off costs one promise settlement.
 *
 * Invariants:
 *  1. A tasklet is in exactly one place: running, on the run queue, parked in one wait
 *     queue, paused, waiting outside, or finished. (`t._waiter` is where it waits.)
 *  2. The run queue is FIFO. Parties are resumed in the order they became runnable
 *     (unless a test installed a pick policy: `setPickPolicy`).
 *  3. Channel code only enqueues waiters; only `next()` settles their promises. No
 *     resumption runs synchronously inside another party's operation, so the stack
 *     never grows with the number of hand-offs.
 *  4. At most one party is in flight (`busy`): its promise was settled and its slice
 *     has not ended. A slice ends when the running party parks or yields (the library
 *     sees it), finishes (the tasklet wrapper sees it), or awaits something the library
 *     does not own — then the microtask queue drains, and the drain check sees it before
 *     the host runs any callback of its own (`drained()`; where the host offers no such
 *     moment, the pulse). So code the host runs is never taken for the party in flight.
 *  5. After `BATCH` settlements the loop stops and lets the host run (timers, I/O)
 *     until the pulse, a macrotask, resumes it.
 *  6. When nothing is runnable, the pulse settles `run()`: done if every tasklet
 *     finished; `DeadlockError` if some are parked and nothing can wake them — no
 *     tasklet waits outside, no library timer is armed, no library source is open (an
 *     adapter's, a remote endpoint), and the host has no I/O that could (`Host`). A
 *     stuck program never hangs silently inside a pending `run()`.
 *
 * Imports: the loop imports from below (host/) and from its own room only; what it needs
 * of an observer is declared in types.ts. lib/core/waiter.ts is the one file that imports
 * the loop back at run time — the mutual pair is deliberate: the loop parks and settles
 * waiters, and a waiter settled from outside the loop's hand-offs (an abort, a kill, an
 * escaped error) must wake its party through the loop (`unpark`, `reportEscaped`).
 * `npm run imports` checks that no other file pair does (scripts/imports.mjs).
 *
 * When changing this file, run `npx jest spec/core`.
 */
import type { LoopWatcher } from './types';
import { afterMicrotasks, macrotask, microtask, seesDrain } from '../host/host';
import { Queue } from './queue';
import { Registry } from './registry';
import type { Tasklet } from './tasklet';
import { adopt, away, goOutside, leftOutside } from './outside';
import { FAILED, type Holder, IN_RUNQ, Op, OP, OUTSIDE, unlisten, Waiter, WaitQueue } from './waiter';

/** @internal Settlements per macrotask before the loop lets the host run (exported for the specs). */
export const BATCH = 2048;

/** Waiters whose outcome is decided, oldest first; entries with `inRunq` false are dead. */
const runq = new Queue<Waiter>();

/**
 * The loop's hot state, in one record of fixed shape (cheaper to reach from every
 * operation than module-level bindings).
 */
class LoopState {
  /** A party is in flight: its promise was settled and its slice has not ended. */
  busy = false;
  /** The tasklet in flight; `undefined` when the party in flight is plain code, or none is. */
  current: Tasklet | undefined = undefined;
  /** Live entries on `runq`. */
  live = 0;
  /** Live entries on `runq` that belong to tasklets (for `getRunCount`). */
  runnableTasklets = 0;
  /** Settlements since the last pulse. */
  batch = 0;
  /** Counts settlements; a deferred slice end only ends the slice it was asked for. */
  slice = 0;
  pulsePending = false;
  /** A drain check is queued for the microtask queue the party in flight runs in (see `drained()`). */
  drainPending = false;
  /** Tasklets that owe a deferred `kill()`/`throw()` at their next operation. */
  pendingThrows = 0;
  /**
   * Someone observes (hooks, trace, statistics, debug; lib/inspect/bus.ts). The loop tells it,
   * on its rare paths only, of unparks, idling and tasklets' ends; `null` — the rule —
   * costs nothing on the hot path. (Settlements and channel operations are observed by
   * wrapping prototype methods while someone observes: see lib/inspect/wrap.ts.)
   */
  watcher: LoopWatcher | null = null;
}
export const S = new LoopState();

/** Every tasklet that has not finished, in creation order. */
const alive = new Registry();
let pausedCount = 0;
/** Plain-code waiters parked in a channel, for deadlock reports. */
const parkedPlain = new Set<Waiter>();
/** Pending `run()` calls. */
// Stryker disable next-line all: a label for a wait queue whose waiters are never shown in a report
const runWaiters = new WaitQueue({ toString: () => 'run()' });

export const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The tasklet whose code is running now, or `undefined` in plain code. With no party in
 * flight while tasklets wait outside, the caller may be one of them come back: see
 * `adopt()`.
 */
export function callerTasklet(): Tasklet | undefined {
  if (S.busy) return S.current;
  return away.count === 0 ? undefined : adopt();
}

/**
 * An operation completed without parking: it counts toward the batch, and when the
 * batch is spent the caller yields (through the run queue) so that the host gets its
 * turn even from a tasklet — or plain code — that never parks (invariant 5).
 */
export function batchSpent(): boolean {
  return ++S.batch >= BATCH;
}

/** Puts a waiter with a decided outcome on the tail of the run queue. */
export function enqueue(w: Waiter): void {
  runq.push(w);
  w._bits |= IN_RUNQ;
  S.live++;
  const t = w._owner;
  if (t !== undefined) {
    S.runnableTasklets++;
    t._waiter = w;
  }
  if (!S.busy) kick();
}

/** Gives a waiter already taken off its wait queue its outcome, and makes it runnable. */
export function complete(w: Waiter, failed: boolean, value: unknown): void {
  w._bits = failed ? w._bits | FAILED : w._bits & ~FAILED;
  w._value = value;
  if (w._signal !== undefined || w._owner === undefined) {
    // Select: a case waiter settles its whole select (lib/select/select.ts), which completes
    // the select's own result waiter through this function. Case waiters carry
    // select.ts's CASE_MARK as `signal`, so plain hand-offs never reach this test.
    if (w._select !== undefined) return w._select.settle(w, failed, value);
    detach(w);
  }
  enqueue(w);
}

/** The rare part of `complete`, kept apart so the hot path stays small and optimised. */
function detach(w: Waiter): void {
  if (w._signal !== undefined) {
    unlisten(w._signal, w); // never throws: see lib/core/waiter.ts
    w._signal = undefined;
  }
  if (w._owner === undefined) parkedPlain.delete(w);
}

/** Takes a parked waiter off its wait queue as if it had never parked, with an outcome. */
export function unpark(w: Waiter, failed: boolean, value: unknown): void {
  if (S.watcher !== null) S.watcher.unpark(w);
  w._queue!._unlink(w);
  complete(w, failed, value);
}

/**
 * A waiter for `owner`: a tasklet is its own waiter (it waits on one operation at a time),
 * so a hand-off allocates nothing but the promise and a parked tasklet is one record.
 * Only while that waiter is still in use — parked or on the run queue for an operation
 * the tasklet did not await — does it get one of its own.
 */
function waiterFor(owner: Tasklet | undefined, op: Op, value: unknown): Waiter {
  if (owner !== undefined) {
    if ((owner._bits & OUTSIDE) !== 0) cameBack(owner);
    const bits = owner._bits;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: waiting as itself only saves an allocation
    if (owner._queue === null && (bits & IN_RUNQ) === 0) {
      owner._bits = (bits & ~(OP | FAILED)) | op;
      owner._value = value;
      return owner;
    }
  }
  return new Waiter(owner, op, value);
}

/**
 * Parks the caller on `queue` and ends its slice. The waiter keeps `value` (what a
 * sender offers) until a partner completes it.
 */
export function park<T>(queue: Holder, op: Op, value: unknown, signal: AbortSignal | undefined): Promise<T> {
  const owner = callerTasklet();
  const w = waiterFor(owner, op, value);
  if (signal !== undefined) {
    // User code (the signal's own method): before the waiter is anywhere it could be met.
    signal.addEventListener('abort', w);
    w._signal = signal;
  }
  const p = w._promise<T>();
  queue._push(w);
  if (owner !== undefined) owner._waiter = w;
  else parkedPlain.add(w);
  endSlice();
  return p;
}

/**
 * The caller steps back: it goes to the tail of the run queue with its outcome already
 * decided, and its slice ends. Used by `schedule()` and by a hand-off whose
 * `preference` lets the woken partner run first.
 */
export function yieldWith(op: Op, failed: boolean, value: unknown): Promise<any> {
  const w = waiterFor(callerTasklet(), op, value);
  if (failed) w._bits |= FAILED;
  const p = w._promise();
  enqueue(w);
  endSlice();
  return p;
}

/**
 * The caller's slice ends now (it parked or yielded and awaits the result). A tasklet
 * awaits its operation at once, so the next party is settled at once. Plain code may
 * go on calling operations before it awaits, so its slice is ended a microtask later.
 */
function endSlice(): void {
  if (!S.busy) return;
  if (S.current === undefined) deferEndSlice();
  else next();
}

/** Ends the running party's slice once its current synchronous run is over. */
export function deferEndSlice(): void {
  if (!S.busy) return;
  const s = S.slice;
  microtask(() => {
    if (S.slice === s && S.busy) next();
  });
}

/**
 * Settles the next runnable party, or goes idle. The rare cases (a new tasklet's start,
 * a failure, the batch spent, nothing runnable) live in functions of their own, so that
 * this one stays small, monomorphic and optimised.
 */
function next(): void {
  S.busy = false;
  S.current = undefined;
  // Stryker disable next-line UpdateOperator: the counter is only compared for equality
  S.slice++;
  if (S.live === 0 || S.batch >= BATCH) {
    pause();
    return;
  }
  let w = pickPolicy === null ? runq.shift()! : takePicked(pickPolicy);
  while ((w._bits & IN_RUNQ) === 0) w = runq.shift()!; // live > 0: a live entry is ahead
  w._bits &= ~IN_RUNQ;
  S.live--;
  const t = w._owner;
  if (t !== undefined) {
    S.runnableTasklets--;
    t._waiter = null;
    S.current = t;
  }
  S.busy = true;
  S.batch++;
  if (!S.pulsePending) armPulse();
  if (!S.drainPending && seesDrain) armDrain();
  if ((w._bits & OP) === (Op.Start as number)) start(t!);
  else w._settle();
}

/**
 * For tests that explore interleavings: chooses which runnable party the loop resumes
 * next, as an index among the runnable parties in FIFO order (0 is the rule). `null`,
 * the default, is FIFO and costs one check per settlement.
 */
export type PickPolicy = (runnable: number) => number;
let pickPolicy: PickPolicy | null = null;

/** @internal Installs (or, with `null`, removes) a pick policy; returns the previous one. */
export function setPickPolicy(policy: PickPolicy | null): PickPolicy | null {
  const before = pickPolicy;
  pickPolicy = policy;
  return before;
}

/** Takes the runnable party the policy picks off the run queue (`S.live > 0`). */
function takePicked(policy: PickPolicy): Waiter {
  const k = policy(S.live);
  if (!(Number.isInteger(k) && k >= 0 && k < S.live)) {
    throw new RangeError(`tasklets: the pick policy must return an integer in [0, ${S.live}), returned ${k}`);
  }
  // One turn of the ring: every entry but the picked one goes back in its order.
  let picked: Waiter | undefined;
  for (let n = runq.length, seen = -1; n > 0; n--) {
    const w = runq.shift()!;
    if (w._inRunq && ++seen === k)
      picked = w; // once past k, `seen` never equals it again
    else runq.push(w);
  }
  return picked!;
}

/**
 * A new tasklet's first slice runs in a microtask, never inside another party's code:
 * the stack never grows with the number of tasklets. Started from a microtask that is
 * starting tasklets already (`startNext`), where the previous one's first slice ended
 * by parking, it is handed to that microtask instead, which starts it once the previous
 * one's synchronous run has returned: many tasklets starting in a row (a game's circle,
 * a pool) cost one microtask, not one each.
 */
function start(t: Tasklet): void {
  if (starting && handedOver === null) {
    handedOver = t;
    return;
  }
  starts.push(t);
  microtask(startNext);
}

/** Tasklets whose first run is queued as a microtask, in order (no closure per tasklet). */
const starts = new Queue<Tasklet>();
/** `startNext` is running a tasklet's first slice. */
let starting = false;
/** The tasklet `start()` handed to the running `startNext`, to start next. */
let handedOver: Tasklet | null = null;

function startNext(): void {
  let t: Tasklet | null = starts.shift()!;
  starting = true;
  try {
    while (t !== null) {
      t._start();
      t = handedOver;
      handedOver = null;
    }
  } finally {
    starting = false;
    // Stryker disable next-line ConditionalExpression: only when a start threw after handing one over
    if (handedOver !== null) {
      starts.push(handedOver);
      handedOver = null;
      microtask(startNext);
    }
  }
}

/** Nothing to settle now: the batch is spent (the pulse resumes) or nothing is runnable. */
function pause(): void {
  if (S.watcher !== null) S.watcher.idle();
  if (S.live === 0) {
    while (runq.length !== 0) runq.shift(); // drop dead entries
    if (runWaiters.length === 0) return;
  }
  if (!S.pulsePending) armPulse();
}

/**
 * Work became runnable while no party is in flight: plain code outside the loop made it
 * so (created a tasklet, woke a parked one). The loop starts at the pulse, a macrotask,
 * when the host has no tick and no microtask left to run. Sooner is not safe: in a
 * microtask, the plain code's continuations may still be queued, and a party settled
 * before them would be taken for their code; in a tick, the ticks queued before it
 * (Node's own, after an I/O callback) may have queued microtasks of their own. From the
 * pulse on, the loop's chain of settlements runs alone in the microtask queue.
 */
function kick(): void {
  if (!S.pulsePending) armPulse();
}

/**
 * Queues the drain check: a microtask that queues a tick, which Node runs once the
 * microtask queue has drained — after the party in flight's code and every microtask
 * it led to, and before the host runs a callback of its own (a timer, I/O).
 */
function armDrain(): void {
  S.drainPending = true;
  microtask(queueDrained);
}

function queueDrained(): void {
  afterMicrotasks(drained);
}

/**
 * The microtask queue has drained. A party still in flight has awaited something the
 * library does not own: it goes outside now, before any host callback could be taken
 * for its code, and the loop carries on with the next party.
 */
function drained(): void {
  S.drainPending = false;
  if (!S.busy) return;
  const t = S.current;
  if (t !== undefined && t._alive && !t._outside) goOutside(t);
  next();
}

/** @internal */
export function armPulse(): void {
  S.pulsePending = true;
  macrotask(pulse);
}

/**
 * Runs as a macrotask, so the microtask queue is empty: a party still marked running
 * has awaited something outside the library. The loop lets it go and carries on.
 */
function pulse(): void {
  S.batch = 0;
  // Stryker disable next-line ConditionalExpression: equivalent: without a party in flight `current` is undefined
  if (S.busy) {
    const t = S.current;
    if (t !== undefined && t._alive && !t._outside) goOutside(t);
    // Stryker disable next-line BooleanLiteral: equivalent: next() clears `busy` first thing
    S.busy = false;
    S.current = undefined;
  }
  // The pulse stays marked pending while `next()` runs: if the loop goes idle there,
  // `pause()` arms no second pulse — `settleRuns()` below is that check, and a pulse
  // per idle turn would spin the CPU while `run()` waits on a timer. What can let
  // `run()` settle later (a tasklet ends or is paused, a timer is cleared) calls `wake()`.
  next();
  S.pulsePending = false;
  if (S.busy) armPulse();
  else if (S.live === 0) settleRuns();
}

// ---------------------------------------------------------------------------------
// Live tasklets, pausing, deferred throws, and settling run().

export function register(t: Tasklet): void {
  alive.add(t);
}

/** Called once when a tasklet ends: the loop forgets it, and moves on if its final slice was the one in flight. */
export function unregister(t: Tasklet): void {
  if (S.watcher !== null) S.watcher.end(t);
  alive.delete(t);
  leftOutside(t);
  forgivePendingThrow(t);
  if (t._paused) {
    t._paused = false;
    pausedCount--;
  }
  if (S.current === t) next();
  else wake();
}

/** `owner` parks on `w` (made without `waiterFor`): back from outside, it waits in the loop again. */
export function waitsIn(owner: Tasklet, w: Waiter): void {
  if (owner._outside) cameBack(owner);
  owner._waiter = w;
}

/** A tasklet back from outside waits in the loop again; a pending `run()` may settle now. */
function cameBack(t: Tasklet): void {
  leftOutside(t);
  wake();
}

/** Takes a waiter off the run queue (its entry stays, dead, until the loop reaches it). */
export function cancelRunnable(w: Waiter): void {
  if (!w._inRunq) return;
  w._inRunq = false;
  S.live--;
  if (w._owner !== undefined) S.runnableTasklets--;
}

export function setPaused(t: Tasklet, paused: boolean, w: Waiter | null): void {
  t._paused = paused;
  if (paused) {
    pausedCount++;
    if (w !== null) cancelRunnable(w);
    wake();
  } else {
    pausedCount--;
  }
}

/** Something changed that may let a pending `run()` settle: check at the next pulse. */
function wake(): void {
  // Stryker disable next-line LogicalOperator: an extra pulse does nothing
  if (runWaiters.length !== 0 && !S.pulsePending) armPulse();
}

/** A deferred `kill()`/`throw()` is now owed by `t`. */
export function owePendingThrow(t: Tasklet, error: unknown): void {
  if (!t._owesThrow) S.pendingThrows++;
  t._owesThrow = true;
  t._thrown = error;
}

function forgivePendingThrow(t: Tasklet): void {
  if (!t._owesThrow) return;
  // Stryker disable next-line BooleanLiteral: equivalent: only a finished tasklet is forgiven, and only live ones are counted
  t._owesThrow = false;
  t._thrown = undefined;
  S.pendingThrows--;
}

/**
 * The deferred `kill()`/`throw()` the calling tasklet owes, as the rejection its operation
 * returns instead of running, taken off its books; `null` when it owes none. Every
 * operation that can park asks this first — one counter check while no tasklet owes one.
 * The channel's send and receive make that check themselves before calling (measured
 * under callgrind: 2,326 instructions per hand-off against 2,475 calling it unguarded,
 * and 2,401 with the check split from the rest into a function of its own).
 */
export function owedThrow(): Promise<never> | null {
  if (S.pendingThrows === 0) return null;
  const t = callerTasklet();
  if (t === undefined || !t._owesThrow) return null;
  t._owesThrow = false;
  S.pendingThrows--;
  const e = t._thrown;
  t._thrown = undefined;
  return Promise.reject(e);
}

/**
 * An error escaped a tasklet that nobody joined: pending `run()` calls reject with it;
 * with none pending it becomes an unhandled rejection, like any async function's.
 */
export function reportEscaped(error: unknown): void {
  // Stryker disable next-line ConditionalExpression,BlockStatement: checked in a child process (spec/core/loop.spec.ts, errors nobody handles), which Stryker mutants do not reach
  if (runWaiters.length === 0) {
    void Promise.reject(error);
    return;
  }
  for (let w = runWaiters.shift(); w !== null; w = runWaiters.shift()) complete(w, true, error);
}

/** Settles pending `run()` calls if the loop is quiet: done, or deadlocked. */
function settleRuns(): void {
  if (runWaiters.length === 0) return;
  if (alive.size === pausedCount) {
    for (let w = runWaiters.shift(); w !== null; w = runWaiters.shift()) complete(w, false, undefined);
  } else if (away.count === 0 && timerCount === 0 && sourceCount === 0) {
    // Only the host can still wake a party: ask it, and ask again later while it can.
    if (host !== null && host.canWake()) host.watch(wake);
    else failRuns(deadlockError!());
  }
}

/** Rejects every pending `run()` with `error`; says whether there was one. */
export function failRuns(error: unknown): boolean {
  if (runWaiters.length === 0) return false;
  for (let w = runWaiters.shift(); w !== null; w = runWaiters.shift()) complete(w, true, error);
  return true;
}

/**
 * What the loop asks of a host it can see (lib/node/host.ts installs Node's): whether
 * something of the host's own could still wake a parked party — under Node a ref'd I/O
 * handle or request (a listening server, a socket, a child process, a pending fs or dns
 * request), not a timer, not the process's stdio, not a test runner's channel. Where
 * none is installed (browsers, Deno) the host is taken to have nothing: `run()` reports
 * a deadlock when nothing of the library's can wake a party (docs/design.md).
 */
export interface Host {
  /** Something of the host's could still wake a party. */
  canWake(): boolean;
  /** Calls `recheck` once, later: the loop asks again while the host can wake a party. */
  watch(recheck: () => void): void;
}
let host: Host | null = null;

/** @internal Installs the host the loop asks (or, with `null`, none); returns the previous one. */
export function setHost(h: Host | null): Host | null {
  const before = host;
  host = h;
  return before;
}

/**
 * For lib/run/report.ts, lib/inspect/snapshot.ts and lib/inspect/invariants.ts: read-only views of the loop's
 * private state (never called on the hot path).
 */
export function loopInternals(): {
  alive: Iterable<Tasklet>;
  aliveCount: number;
  parkedPlain: ReadonlySet<Waiter>;
  runq: Iterable<Waiter>;
  paused: number;
  outside: number;
  pendingRuns: number;
  timers: number;
  sources: number;
} {
  return { alive, aliveCount: alive.size, parkedPlain, runq, paused: pausedCount, outside: away.count, pendingRuns: runWaiters.length, timers: timerCount, sources: sourceCount };
}

/** Whether every live tasklet is paused (or none is alive): `run()` has nothing to wait for. */
export function quiet(): boolean {
  return alive.size === pausedCount;
}

/**
 * Makes the error pending `run()` calls reject with on a deadlock. `run()` passes it
 * (lib/run/report.ts's `deadlockError`), so that a program that never calls `run()` carries
 * no report code; it is set whenever `runWaiters` is non-empty.
 */
let deadlockError: (() => unknown) | null = null;

/**
 * `run()`'s wait: a plain waiter settled by the pulse once the loop is quiet (see
 * `settleRuns`), with `onDeadlock()` if parked parties can never be woken.
 */
export function waitForQuiet(onDeadlock: () => unknown): Promise<void> {
  deadlockError = onDeadlock;
  const w = new Waiter(undefined, Op.Run, undefined);
  const p = w._promise<void>();
  runWaiters.push(w);
  // Stryker disable next-line ConditionalExpression: timing only: the pulse already pending ends the slice in the same host turn
  if (S.busy) deferEndSlice();
  // Stryker disable next-line EqualityOperator: timing only: wake() below arms the pulse
  else if (S.live !== 0) kick();
  wake();
  return p;
}

// ---------------------------------------------------------------------------------
// Select and timers (lib/select/select.ts, lib/time/timers.ts). Kept apart from the core above.

/** Armed library timers that a party waits on: while any is, quiet is not deadlock. */
let timerCount = 0;
/** Library sources still open (an adapter's emitter, a remote endpoint): likewise. */
let sourceCount = 0;

/**
 * A library source that can wake a party opened (`+1`) or closed (`-1`): an adapter
 * whose emitter or stream is still open (`fromEvent`), a connected remote endpoint.
 */
export function countSource(delta: 1 | -1): void {
  sourceCount += delta;
  if (delta < 0) wake();
}

/** A library timer that can wake a party was armed (`+1`) or fired/cleared (`-1`). */
export function countTimer(delta: 1 | -1): void {
  timerCount += delta;
  if (delta < 0) wake();
}

/** For specs: armed library timers. */
export function timerStats(): number {
  return timerCount;
}

/**
 * A select parked its case waiters; `first` is where its party waits (a tasklet's
 * `_waiter`, so `blocked`, `kill()` and deadlock reports see it). Ends the slice as
 * `park()` does.
 */
export function parkSelect(first: Waiter): void {
  const owner = first._owner;
  if (owner !== undefined) waitsIn(owner, first);
  else parkedPlain.add(first);
  endSlice();
}

/** A parked select settled: forgets the registration made by `parkSelect`. */
export function unparkSelect(first: Waiter): void {
  if (first._owner === undefined) parkedPlain.delete(first);
}
