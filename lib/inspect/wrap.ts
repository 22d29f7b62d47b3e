/**
 * Observing hand-offs without a line of code in them: while someone observes (lib/inspect/bus.ts),
 * `Channel.prototype`'s four operation methods (`offer`, `take`, `trySend`, `tryReceive`),
 * `Waiter.prototype._settle` (the loop resuming a party) and `Tasklet.prototype._start` (a
 * tasklet's first slice) are replaced by wrappers that tell the bus, and the originals are
 * put back when the last observer leaves — an unobserved program runs the very same code
 * as one that never loaded this file. Each wrapped method says so where it is defined.
 */
import { Channel } from '../channel/channel';
import { S } from '../core/loop';
import { Tasklet } from '../core/tasklet';
import { Op, Waiter } from '../core/waiter';
import type { Watcher } from './bus';

type Operation = (this: Channel<any>, ...args: any[]) => any;
interface ChannelOperations {
  offer: Operation;
  take: Operation;
  trySend: Operation;
  tryReceive: Operation;
}
/** Read when needed, not at load. */
const prototype = (): ChannelOperations => Channel.prototype as unknown as ChannelOperations;
let originals: ChannelOperations | null = null;

/** The operation will fail at once without touching the channel: not reported. */
function failsAtOnce(signal: AbortSignal | undefined): boolean {
  if (signal !== undefined && signal.aborted) return true;
  const t = S.current;
  return S.pendingThrows !== 0 && t !== undefined && t._owesThrow;
}

/** Runs a blocking operation, telling `channel` before and `park` if it parked. */
function observed(dispatcher: Watcher, ch: Channel<any>, sending: boolean, signal: AbortSignal | undefined, run: () => unknown): unknown {
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

/** @internal Wraps the methods, telling `dispatcher`; nothing if they are wrapped already. */
export function wrap(dispatcher: Watcher): void {
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
    return observed(dispatcher, this, true, signal, () => o.offer.call(this, item, signal, where));
  };
  proto.take = function (op: unknown, signal: AbortSignal | undefined) {
    return observed(dispatcher, this, false, signal, () => o.take.call(this, op, signal));
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

/** @internal Puts the original methods back. */
export function unwrap(): void {
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
