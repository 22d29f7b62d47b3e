/**
 * The owner's side of a channel shared across threads: `share(channel)` makes a port whose
 * other end another thread turns into a `RemoteChannel` (lib/worker/remote.ts). Here, every
 * remote operation becomes the same operation by plain code of this thread on the channel
 * itself, so the channel stays the one place where parties meet, and every rule of a
 * channel holds across threads because it holds here:
 *
 *  - a remote send completes when this thread's send of its value completes: when a
 *    receiver, here or in another thread, has taken it (rendezvous), or it is buffered.
 *    On a buffered channel the reply grants credits: buffer slots reserved for that
 *    thread, into which its next sends go without waiting for a reply (protocol.ts);
 *  - a remote receive takes a value here, as any receiver does, first come first served
 *    with the local ones; the value is then in flight to its thread, which acknowledges it
 *    on arrival. If that thread ends first, the value is given back to the channel as the
 *    next one to be received (`_giveBack`): never lost, never received twice;
 *  - a remote abort aborts the operation here; whichever came first — the abort or a
 *    partner — decides, exactly as for a local operation, and the reply says which;
 *  - while the port is open, the loop counts it as a source (`countSource`): a party
 *    parked here on this channel may still be woken from the other thread, so `run()`
 *    does not call it deadlocked. When the other thread ends, the port closes: its parked
 *    operations are aborted (they vanish as if never tried) and the count drops.
 *
 * The port keeps this thread alive only while a remote operation is pending on it.
 */
import { MessageChannel, type MessagePort, threadId } from 'node:worker_threads';
import { show } from '../base/validate';
import { Channel } from '../channel/channel';
import { countSource } from '../core/loop';
import { ChannelClosedError } from '../base/errors';
import type { Waiter } from '../core/waiter';
import { checkCopy, typeName } from './clone';
import type { Primitive, Reply, Request } from './protocol';
import { addPort, hearPeer, type PeerMessage, received, removePort, sent, served } from './peers';
import { watchReady } from './ready';
import { holdForParked, letGo } from './hold';

/**
 * A channel handed to another thread: pass it in `workerData` (or a `postMessage`) with
 * its `port` in the transfer list, and call {@link attach} there. Each `share()` makes a
 * new one, for one thread; it can be attached once.
 */
export interface SharedChannel<T> {
  /** The port to transfer: `transferList: [shared.port]`. */
  readonly port: MessagePort;
  /** The channel's name, for the remote end's messages. */
  readonly name: string | undefined;
  /** The owner's `threadId`, for the remote end's messages. */
  readonly owner: number;
  /** Names the link between the two ends, for the deadlock check across threads. */
  readonly link: string;
  /** Never present: carries `T` to `attach()`. */
  readonly __type?: T;
}

/**
 * Slots a send's reply may reserve for its thread's next sends: every free one
 * (`Channel._reserve`), up to this many. A sending thread then streams a buffer's worth
 * per round trip (half the buffer streamed 0.41–0.46× a bare port's rate, all of it
 * 0.57–0.66×: bench/worker-stream.ts); unused slots go back at the end of its turn, so a
 * thread that stops sending holds none for long.
 */
const CREDITS = 4096;

/** The reason this thread aborts an operation a remote thread cancelled. */
const CANCELLED = Symbol('cancelled by the remote thread');

/**
 * Shares `channel` with another thread: returns the handle to send there, whose `port`
 * must be transferred. The channel stays here, in its owner's thread; the other thread's
 * operations reach it through the port.
 *
 * @example
 * ```ts
 * import { Worker } from 'node:worker_threads';
 * import { Channel } from 'tasklets';
 * import { share } from 'tasklets/worker';
 * const jobs = new Channel<string>({ name: 'jobs' });
 * const shared = share(jobs);
 * const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { jobs: shared }, transferList: [shared.port] });
 * await jobs.send('first job'); // completes once the worker has taken it
 * ```
 */
export function share<T>(channel: Channel<T>): SharedChannel<T> {
  if (!(channel instanceof Channel)) throw new TypeError(`share(): channel must be a Channel, received ${show(channel)}`);
  const { port1, port2 } = new MessageChannel();
  const link = `${threadId}.${++links}`;
  serve(channel, port1, link);
  return { port: port2, name: channel.name, owner: threadId, link };
}

let links = 0;

/** Serves the remote end at `port` on `channel`, until the port closes. */
function serve<T>(channel: Channel<T>, port: MessagePort, link: string): void {
  /** Operations in progress here for the remote thread, by id. */
  const pending = new Map<number, AbortController>();
  /** Values received for the remote thread and not yet acknowledged, by id (a `Thrown` for an error). */
  const unacked = new Map<number, unknown>();
  /** Buffer slots reserved for the remote thread's next sends (its credits), not yet filled. */
  let credits = 0;
  /** Send cases of remote selects, by id: select, value (a `Thrown` for an error), whether `ready` was said since the last `go`. */
  const cases = new Map<number, { sel: number; item: unknown; told: boolean }>();
  /** Receive cases of remote selects parked here, by id: their select and waiter. */
  const receiving = new Map<number, { sel: number; w: Waiter }>();
  /**
   * Whether a send case of select `sel` could be sent now to a party other than `sel`
   * itself: a select never hands a value to itself, and its own receive case parked
   * here must not make its send case look ready.
   */
  const canSendFor = (sel: number): boolean => {
    if (!channel._canSend()) return false;
    let own = 0;
    for (const r of receiving.values()) if (r.sel === sel && r.w._queue === channel) own++;
    if (own === 0 || channel.closing) return true;
    let parked = 0;
    for (const w of channel._waiters(false)) if (w !== undefined) parked++;
    return parked > own;
  };
  /** Tells each send case that the channel could take its value now, once. */
  const look = (): void => {
    if (!open || !channel._canSend()) return;
    for (const [id, c] of cases) {
      if (c.told || !canSendFor(c.sel)) continue;
      c.told = true;
      reply({ t: 'ready', id });
    }
  };
  const watch = (): void => watchReady(look, open && cases.size !== 0);
  let open = true;
  countSource(1);
  addPort(port, true, link);

  const reply = (r: Reply): void => {
    if (!open) return;
    sent(port);
    port.postMessage(r);
  };
  /** Marks the waiter an operation of the remote thread parked here, if it parked, for the deadlock report. */
  const mark = (sending: boolean, before: Waiter | null): Waiter | null => {
    const w = channel._newest(sending);
    if (w === before || w === null) return null;
    served.add(w);
    return w;
  };
  /**
   * The port holds this thread alive while the other thread waits on it, and while it
   * holds credits: a value sent on one may be on its way here, its send already complete.
   */
  const refresh = (): void => {
    if (!open) return;
    if (pending.size + unacked.size + cases.size + credits > 0) port.ref();
    else port.unref();
  };
  const begin = (id: number): AbortSignal => {
    const ac = new AbortController();
    pending.set(id, ac);
    refresh();
    return ac.signal;
  };
  const end = (id: number): void => {
    pending.delete(id);
    refresh();
  };
  const failure = (id: number, signal: AbortSignal, e: unknown): Reply => {
    if (signal.aborted && e === signal.reason) return { t: 'aborted', id };
    if (e instanceof ChannelClosedError) return { t: 'err', id, name: e.name, message: e.message, closed: true };
    return { t: 'err', id, name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
  };

  port.on('message', (m: Request | Primitive | PeerMessage) => {
    if (typeof m !== 'object' || m === null) {
      // A primitive for a reserved slot, posted without an envelope (protocol.ts).
      received(port);
      if (--credits === 0) refresh();
      channel._fill(m);
      return;
    }
    if (m.t === 'peek' || m.t === 'seen') return hearPeer(port, m);
    received(port);
    switch (m.t) {
      case 's': {
        const signal = begin(m.id);
        const before = channel._newest(true);
        const done = m.x === true ? channel.sendThrow(m.v, { signal }) : channel.send(m.v as T, { signal });
        mark(true, before);
        done
          .then(
            () => {
              const c = open ? channel._reserve(CREDITS) : 0;
              credits += c;
              reply(c === 0 ? { t: 'ok', id: m.id } : { t: 'ok', id: m.id, c });
            },
            (e: unknown) => reply(failure(m.id, signal, e)),
          )
          .finally(() => end(m.id));
        break;
      }
      case 'r':
      case 'sr': {
        const signal = begin(m.id);
        const offer = m.t === 'sr';
        const before = channel._newest(false);
        const taken = channel._next(signal);
        const w = mark(false, before);
        if (m.t === 'sr' && w !== null) receiving.set(m.id, { sel: m.s, w });
        taken
          .then(
            (r) => (r.done === true ? reply({ t: 'end', id: m.id }) : deliver(m.id, r.value, false, offer)),
            (e: unknown) => (signal.aborted && e === signal.reason ? reply({ t: 'aborted', id: m.id }) : deliver(m.id, e, true, offer)),
          )
          .finally(() => {
            receiving.delete(m.id);
            end(m.id);
          });
        break;
      }
      case 'ss':
        cases.set(m.id, { sel: m.s, item: m.x === true ? Channel._thrown(m.v) : m.v, told: false });
        refresh();
        watch();
        look();
        break;
      case 'again': {
        const c = cases.get(m.id);
        if (c !== undefined) c.told = false;
        look();
        break;
      }
      case 'go':
        go(m.id);
        break;
      case 'c':
        if (cases.delete(m.id)) {
          reply({ t: 'aborted', id: m.id });
          refresh();
          watch();
        } else pending.get(m.id)?.abort(CANCELLED);
        break;
      case 'a':
        unacked.delete(m.id);
        refresh();
        break;
      case 'n': {
        // Declined by a select: back to the front, the next value received.
        if (unacked.has(m.id)) channel._giveBack(unacked.get(m.id));
        unacked.delete(m.id);
        refresh();
        break;
      }
      case 'close':
        channel.close();
        reply({ t: 'ok', id: m.id });
        look();
        break;
      case 'p':
        if (--credits === 0) refresh();
        channel._fill(m.x === true ? Channel._thrown(m.v) : m.v);
        break;
      case 'u':
        credits -= m.n;
        refresh();
        channel._unreserve(m.n);
        break;
    }
  });

  /**
   * The remote select has shut out its other cases: send case `id`'s value goes now if
   * the channel takes it without waiting (`trySend`), else the case waits for the next
   * `ready`. On a closing channel the select fails as a local one would.
   */
  function go(id: number): void {
    const c = cases.get(id);
    if (c === undefined) return;
    // The select's own receive cases here have lost (it is shut to all but this case):
    // out of the way, so that the value cannot go to them. They answer `aborted`.
    for (const [rid, r] of receiving) if (r.sel === c.sel) pending.get(rid)?.abort(CANCELLED);
    if (channel.closing) {
      cases.delete(id);
      reply({ t: 'err', id, name: 'ChannelClosedError', message: `select(): send on closed ${channel}`, closed: true });
      refresh();
      watch();
      return;
    }
    // `trySend` takes a `Thrown` as `sendThrow` would send it.
    if (channel.trySend(c.item as T)) {
      cases.delete(id);
      reply({ t: 'ok', id });
      refresh();
      watch();
    } else {
      c.told = false;
      reply({ t: 'missed', id });
      look();
    }
  }

  /** Sends a received value (or an error sent with `sendThrow`) on, to be acknowledged — or, for a select (`offer`), committed or declined. */
  function deliver(id: number, value: unknown, thrown: boolean, offer: boolean): void {
    const item = thrown ? Channel._thrown(value) : value;
    if (!open) {
      channel._giveBack(item);
      return;
    }
    const t = offer ? 'o' : 'v';
    try {
      if (!thrown) checkCopy(value);
      port.postMessage(thrown ? { t, id, v: value, x: true } : { t, id, v: value });
      sent(port);
    } catch (e) {
      // Not cloneable (a function, a class with private fields): it stays in the channel.
      channel._giveBack(item);
      reply({
        t: 'err',
        id,
        name: 'TypeError',
        message: `receive(): a value of type ${typeName(value)} cannot be copied to another thread (${e instanceof Error ? e.message : String(e)}); it stays in ${channel}`,
      });
      return;
    }
    unacked.set(id, item);
    refresh();
  }

  port.on('close', () => {
    open = false;
    countSource(-1);
    removePort(port, true);
    letGo(port);
    for (const ac of pending.values()) ac.abort(CANCELLED);
    for (const item of unacked.values()) channel._giveBack(item);
    unacked.clear();
    if (credits !== 0) channel._unreserve(credits);
    credits = 0;
    cases.clear(); // never sent: nothing to undo
    watch();
  });
  // Listening refs the port; idle, it must not hold the thread — unless a party here waits on the channel (hold.ts).
  port.unref();
  holdForParked(port, channel);
}
