/**
 * The parked waiter: one record per operation that could not complete at once.
 *
 * A waiter lives in at most one wait queue (a channel's `sendq` or `recvq`, a
 * tasklet's joiners) and, once it has an outcome, on the run queue until the loop
 * settles its promise. The loop settles the promise, never the code that produced the
 * outcome: that is what lets the loop know which party runs next.
 *
 * @internal
 */
import { microtask } from '../host/host';
import { reportEscaped, unpark } from './loop';
import type { Tasklet } from './tasklet';

/**
 * What a waiter is waiting for. A `const enum`: the compiler writes the numbers in place,
 * so bundles carry neither the names nor an object to look them up in.
 */
export const enum Op {
  /** A tasklet's first run. */
  Start = 0,
  /**
   * A caller stepping back after its operation completed (a hand-off that lets the woken
   * partner run first, or a spent batch): `value` is the operation's outcome, already
   * decided, so a `kill()` now must not undo it.
   */
  Yield = 1,
  Send = 2,
  Receive = 3,
  /** A receive on behalf of `for await`: the outcome is an iterator result. */
  Iterate = 4,
  /** `join()` or `kill()` waiting for a tasklet to finish. */
  Join = 5,
  /** `run()` waiting for the loop to go quiet. */
  Run = 6,
  // Select (lib/select/select.ts): a parked select has one case waiter per case in its
  // channels' queues, and one result waiter that the loop settles.
  /** A select's send case, parked in a channel's `sendq`; `value` is what it offers. */
  SelectSend = 7,
  /** A select's receive case, parked in a channel's `recvq`. */
  SelectReceive = 8,
  /** A select's result: what the loop settles once one case has won. */
  Select = 9,
  /** `schedule()`: nothing was decided, so a `kill()` raises right at this await. */
  Schedule = 10,
}

/** What a case waiter knows of its select (implemented in lib/select/select.ts). */
export interface SelectLink {
  /** Case waiter `w` (already off its wait queue) won, or the select failed: settle it once. */
  settle(w: Waiter, failed: boolean, value: unknown): void;
  /** For deadlock reports: what the select waits on, each channel named. */
  describe(): string;
}

const unset = (): void => {
  throw new Error('tasklets: internal error: waiter settled before its promise was made');
};

/**
 * @internal `Waiter._bits`: the op, then two flags; bits from `WAITER_BITS` up are the
 * tasklet's. The hot paths (lib/core/loop.ts, lib/channel/channel.ts) use these masks directly rather
 * than the accessors below: a cold program runs in the interpreter, where every accessor
 * is a call.
 */
export const OP = 15;
/** @internal */
export const IN_RUNQ = 16;
/** @internal */
export const FAILED = 32;
/** @internal The first bit a subclass may use. */
export const WAITER_BITS = 64;
/** @internal A tasklet's bit (lib/core/tasklet.ts): it waits outside the library. Here for the loop's hot path. */
export const OUTSIDE = WAITER_BITS << 2;

/** The waiter whose promise is being made: `exec` runs synchronously inside `new Promise`. */
let making: Waiter;
/** One executor for every waiter, so a waiter carries no closure of its own. */
function exec(resolve: (value: unknown) => void): void {
  making._resolve = resolve;
}

export class Waiter {
  /** @internal Links in the wait queue this waiter is parked in. */
  _prev: Waiter | null = null;
  /** @internal */
  _next: Waiter | null = null;
  /**
   * @internal
   * What holds this waiter while it is parked: a channel (its send or receive side, told
   * by `op`: see `sends`) or a `WaitQueue`; `null` once it has left.
   */
  _queue: Holder | null = null;
  /** @internal The value a sender offers; once the waiter has an outcome, the outcome. */
  _value: unknown;
  /**
   * @internal
   * Settles the promise of this waiter's current operation. Only the resolving function
   * is kept (a failure resolves with a rejected promise): every store of a new function
   * into this long-lived record costs a write barrier.
   */
  _resolve: (value: unknown) => void = unset;
  /** @internal The abort signal it listens to while parked. */
  _signal: AbortSignal | undefined = undefined;
  /**
   * @internal
   * For a select's case waiter, the select it belongs to: completing the waiter settles
   * the whole select instead (see `complete()` in loop.ts, which looks here only when
   * `signal` is set; case waiters set it to a mark). Set on case waiters only (lib/select/select.ts
   * makes them with it): every other waiter, tasklets included, goes without the field.
   */
  declare _select?: SelectLink;

  /**
   * @internal
   * The op (`OP`), `IN_RUNQ` and `FAILED`, in one small integer; a tasklet keeps its own
   * flags in the bits above (lib/core/tasklet.ts), so that a parked tasklet is one record of
   * few fields.
   */
  _bits: number;

  constructor(
    /** @internal The tasklet that waits (a tasklet waiting as its own waiter: itself); `undefined` for plain code outside tasklets. */
    public _owner: Tasklet | undefined,
    op: Op,
    value: unknown,
  ) {
    this._value = value;
    this._bits = op;
  }

  /** @internal What it waits for (a tasklet reusing itself as its waiter sets the bits: see `waiterFor` in loop.ts). */
  get _op(): Op {
    return this._bits & OP;
  }

  /** @internal Whether it sits on the run queue; cleared when the loop takes it or `remove()` pauses it. */
  get _inRunq(): boolean {
    return (this._bits & IN_RUNQ) !== 0;
  }
  /** @internal */
  set _inRunq(on: boolean) {
    this._bits = on ? this._bits | IN_RUNQ : this._bits & ~IN_RUNQ;
  }

  /** @internal The outcome is an error to reject with. */
  get _failed(): boolean {
    return (this._bits & FAILED) !== 0;
  }
  /** @internal */
  set _failed(on: boolean) {
    this._bits = on ? this._bits | FAILED : this._bits & ~FAILED;
  }

  /** @internal Creates the promise of the waiter's current operation; once per operation. */
  _promise<T>(): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the one shared executor reads it: no closure per promise
    making = this;
    return new Promise(exec) as Promise<T>;
  }

  /**
   * @internal Settles the promise with the outcome: called by the loop only.
   * Wrapped by name while someone observes (lib/inspect/wrap.ts): keep the name and signature.
   */
  _settle(): void {
    if ((this._bits & FAILED) !== 0) this._resolve(Promise.reject(this._value));
    else this._resolve(this._value);
  }

  /** @internal `AbortSignal` listener: leaves the wait queue as if never parked, fails with the reason. */
  handleEvent(): void {
    const signal = this._signal;
    if (signal !== undefined && this._queue !== null) unpark(this, true, signal.reason);
  }
}

/** Whether a waiter of `op` parks on a channel's send side (else its receive side). */
export function sends(op: Op): boolean {
  return op === Op.Send || op === Op.SelectSend;
}

/**
 * What parked waiters wait in: a channel (lib/channel/channel.ts, one list per side) or a
 * `WaitQueue`. `_push` parks a waiter at the tail, `_unlink` takes it out from anywhere.
 */
export interface Holder {
  _push(w: Waiter): void;
  _unlink(w: Waiter): void;
}

/** What reports name a holder by: every holder is an object that renders itself. */
export interface Shown {
  toString(): string;
}

/** What a parked waiter waits on, for reports: the channel, or the wait queue's holder. */
export function holderOf(w: Waiter): Shown | null {
  const q = w._queue;
  return q instanceof WaitQueue ? q.holder : q;
}

// A wait list is circular and doubly linked through `prev`/`next`, known by its oldest
// waiter (the head; its `prev` is the newest): one field per list in its holder, no
// object of its own, O(1) append and removal from anywhere — so an aborted or killed
// operation leaves no trace.

/** Appends `w` to the list that starts at `head`; returns the list's head. */
export function append(head: Waiter | null, w: Waiter): Waiter {
  if (head === null) {
    w._prev = w._next = w;
    return w;
  }
  const tail = head._prev!;
  tail._next = w;
  w._prev = tail;
  w._next = head;
  head._prev = w;
  return head;
}

/** Takes `w` out of the list that starts at `head`; returns the list's head, `null` once empty. */
export function cut(head: Waiter, w: Waiter): Waiter | null {
  const next = w._next!;
  let first: Waiter | null = head;
  if (next === w) first = null;
  else {
    const prev = w._prev!;
    prev._next = next;
    next._prev = prev;
    if (head === w) first = next;
  }
  w._prev = w._next = null;
  return first;
}

/** The waiters of the list that starts at `head`, oldest first. */
export function* listed(head: Waiter | null): IterableIterator<Waiter> {
  for (let w = head; w !== null; w = w._next === head ? null : w._next) yield w;
}

/**
 * A FIFO of parked waiters that is not a channel's: a tasklet's joiners, the pending
 * `run()` calls.
 */
export class WaitQueue implements Holder {
  head: Waiter | null = null;
  length = 0;

  constructor(
    /** What this queue belongs to, for reports: a tasklet being joined, `run()`. */
    readonly holder: Shown,
  ) {}

  push(w: Waiter): void {
    w._queue = this;
    this.head = append(this.head, w);
    this.length++;
  }

  /** Takes the oldest waiter off the queue, or returns `null` when empty. */
  shift(): Waiter | null {
    const w = this.head;
    if (w !== null) this.remove(w);
    return w;
  }

  remove(w: Waiter): void {
    this.head = cut(this.head!, w);
    w._queue = null;
    this.length--;
  }

  _push(w: Waiter): void {
    this.push(w);
  }

  _unlink(w: Waiter): void {
    this.remove(w);
  }

  [Symbol.iterator](): IterableIterator<Waiter> {
    return listed(this.head);
  }
}

/**
 * Stops `listener` listening to `signal` once its operation is over. It runs inside a
 * hand-off — between a partner taking a waiter off its queue and the loop delivering
 * the outcome — so it must not throw: a `removeEventListener` that throws (a signal of
 * the user's own making) would leave the value taken and never delivered. Its error is
 * reported a microtask later, as an error that escaped a tasklet nobody joined is: a
 * pending `run()` rejects with it, else it is an unhandled rejection.
 */
export function unlisten(signal: AbortSignal, listener: { handleEvent(): void }): void {
  try {
    signal.removeEventListener('abort', listener);
  } catch (error) {
    microtask(() => reportEscaped(error));
  }
}
