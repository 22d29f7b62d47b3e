/**
 * A channel shared from another thread, used here: `attach(shared)` turns the handle
 * `share()` made (lib/worker/share.ts) into a `RemoteChannel`, whose operations are carried
 * out by the channel's owner thread. Each operation is one request on the port and one
 * reply (lib/worker/protocol.ts); a received value is acknowledged as it arrives, before
 * the receiver's code can see it, so the owner knows the value has left the channel.
 *
 * Select cases: lib/worker/select.ts. No `tryReceive`, `balance`, `length`: they need an
 * answer now, and the channel is in another thread (docs/worker.md). `trySend` has one
 * where the owner granted credits: buffer slots reserved for this thread, into which a
 * send goes at once (lib/worker/protocol.ts).
 *
 * While an operation is pending, the port keeps this thread alive; idle, it does not. If
 * the owner's thread ends, every pending and later operation rejects with
 * `ChannelGoneError` (a send's value in `.value`).
 */
import type { MessagePort } from 'node:worker_threads';
import { ChannelClosedError } from '../base/errors';
import type { SequencePromise } from '../channel/channel';
import { sendSequence } from '../channel/sequence';
import { show } from '../base/validate';
import { RemoteReceiveCase, RemoteSendCase } from './cases';
import { ChannelGoneError } from './errors';
import { S } from '../core/loop';
import { away } from '../core/outside';
import { addPort, hearPeer, type PeerMessage, received, remoteWaits, removePort, sent } from './peers';
import type { Pending, RemoteOperationOptions, RemoteSendOptions } from './options';
import type { Primitive, Reply, Request } from './protocol';
import { Credits } from './credits';
import { checkCopy, typeName } from './clone';
import type { SharedChannel } from './share';
import { installSelect } from './select';

/**
 * Turns a channel shared by another thread (`share()` there, passed here in `workerData`
 * or a message) into a `RemoteChannel`. A handle can be attached once.
 *
 * @example
 * ```ts
 * // worker.ts
 * import { workerData } from 'node:worker_threads';
 * import { attach, type SharedChannel } from 'tasklets/worker';
 * const jobs = attach<string>((workerData as { jobs: SharedChannel<string> }).jobs);
 * for await (const job of jobs) console.log('working on', job);
 * ```
 */
export function attach<T>(shared: SharedChannel<T>): RemoteChannel<T> {
  const port = (shared as { port?: unknown } | null | undefined)?.port;
  if (port === null || typeof port !== 'object' || typeof (port as MessagePort).postMessage !== 'function') {
    throw new TypeError(`attach(): shared must be what share() returned, with its port transferred, received ${show(shared)}`);
  }
  if (attached.has(port)) throw new Error(`attach(): this shared channel is attached already; share() the channel again for another end`);
  attached.add(port);
  return new RemoteChannel<T>(port as MessagePort, shared);
}

const attached = new WeakSet<object>();
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * One thread's end of a channel whose owner is another thread: `send`, `sendThrow`,
 * `receive`, `close` and `for await`, with the channel's own guarantees (docs/worker.md).
 *
 * @example
 * ```ts
 * import { workerData } from 'node:worker_threads';
 * import { attach, type SharedChannel } from 'tasklets/worker';
 * const results = attach<number>((workerData as { results: SharedChannel<number> }).results);
 * await results.send(42); // completes when a receiver, in any thread, has taken it
 * ```
 */
export class RemoteChannel<T> {
  readonly #port: MessagePort;
  readonly #pending = new Map<number, Pending>();
  /** Select cases in progress (lib/worker/select.ts): each answered by several replies, `null` when the owner is gone. */
  readonly #cases = new Map<number, (r: Reply | null) => void>();
  #next = 1;
  /** Why the owner cannot be reached any more, once it cannot. */
  #gone: string | null = null;
  /** Buffer slots the owner reserved for this thread's sends (credits.ts). */
  readonly #credits = new Credits(
    (m, transfer) => this.#post(m, transfer),
    () => this.#gone !== null,
  );
  /** The channel's name, as its owner has it. */
  readonly name: string | undefined;
  /** The owner's `threadId`. */
  readonly #owner: number;

  /** @internal Use {@link attach}. */
  constructor(port: MessagePort, shared: SharedChannel<T>) {
    this.#port = port;
    this.name = shared.name;
    this.#owner = shared.owner;
    port.on('message', (r: Reply | PeerMessage) => (r.t === 'peek' || r.t === 'seen' ? hearPeer(port, r) : this.#reply(r)));
    port.on('close', () => this.#lost("the channel's owner thread has ended"));
    port.unref();
    addPort(port, false, shared.link);
  }

  #post(m: Request | Primitive, transfer?: (ArrayBuffer | MessagePort)[]): void {
    this.#port.postMessage(m, transfer);
    sent(this.#port);
  }

  /**
   * Sends `value` to the channel: resolves when a receiver, in any thread, has taken it
   * (or it is buffered). Rejects with `ChannelClosedError` (the value in `.value`) if the
   * channel is closed, `ChannelGoneError` if its owner's thread has ended, a `TypeError` if
   * the value cannot be copied to another thread (nothing is sent then).
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const results = attach<{ id: number; hash: string }>((workerData as { results: SharedChannel<{ id: number; hash: string }> }).results);
   * await results.send({ id: 7, hash: 'ab12' }, { signal: AbortSignal.timeout(1000) });
   * ```
   */
  send(value: T, options?: RemoteSendOptions): Promise<void> {
    return this.#request('send', value, false, options) as Promise<void>;
  }

  /**
   * Sends `error` to be thrown by the receive that takes it. Errors are copied with their
   * `name`, `message`, `stack` and `cause` (where the structured clone keeps them); their
   * own class and other properties do not cross threads.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const results = attach<number>((workerData as { results: SharedChannel<number> }).results);
   * await results.sendThrow(new Error('job 7 failed'));
   * ```
   */
  sendThrow(error: unknown, options?: RemoteSendOptions): Promise<void> {
    return this.#request('send', error, true, options) as Promise<void>;
  }

  /**
   * Receives the next value, first come first served with every receiver of the channel
   * in every thread. Rejects with `ChannelClosedError` once the channel is closed and
   * drained, `ChannelGoneError` if its owner's thread has ended.
   *
   * @example
   * ```ts
   * const job = await jobs.receive({ signal });
   * ```
   */
  receive(options?: RemoteOperationOptions): Promise<T> {
    return this.#request('receive', undefined, false, options) as Promise<T>;
  }

  /**
   * Sends each item of a sync or async iterable in turn, as `send` would (on credits where
   * the owner granted them); resolves with the count, readable meanwhile as `.sent`. An
   * abort stops it between items or aborts the send in progress, as on a local channel.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const results = attach<number>((workerData as { results: SharedChannel<number> }).results);
   * const sent = await results.sendSequence([1, 2, 3]); // 3, once a receiver has taken each
   * ```
   */
  sendSequence(items: Iterable<T> | AsyncIterable<T>, options?: RemoteOperationOptions): SequencePromise {
    return sendSequence(this, items, options);
  }

  /** @internal One send of a sequence (lib/channel/sequence.ts). */
  _send(item: T, signal: AbortSignal | undefined): Promise<void> {
    return this.send(item, signal === undefined ? undefined : { signal });
  }

  /**
   * Sends `value` if that can complete now: when this thread holds a credit (a buffer slot
   * the owner reserved for it after an earlier send here). `false` means "not known to have
   * room now", not that the channel is full. Throws `ChannelGoneError` if the owner's thread
   * has ended, a `TypeError` if the value cannot be copied to another thread.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const log = attach<string>((workerData as { log: SharedChannel<string> }).log); // a buffered channel
   * await log.send('started');                 // a round trip; the reply may grant credits
   * if (!log.trySend('step 1')) await log.send('step 1');
   * ```
   */
  trySend(value: T, options?: Pick<RemoteSendOptions, 'transfer'>): boolean {
    if (this.#gone !== null) throw new ChannelGoneError(`trySend() on ${this.toString()}: ${this.#gone}`, value);
    return this.#credits.put(value, false, options?.transfer, 'trySend()', checkCopy);
  }

  /**
   * Closes the channel (in its owner's thread): values sent before are still received,
   * then receivers see end-of-channel. Resolves once the owner has closed it.
   *
   * @example
   * ```ts
   * await jobs.close();
   * ```
   */
  close(): Promise<void> {
    return this.#request('close', undefined, false, undefined) as Promise<void>;
  }

  /**
   * Receives until the channel is closed and drained.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const jobs = attach<string>((workerData as { jobs: SharedChannel<string> }).jobs);
   * for await (const job of jobs) console.log('working on', job);
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<T> {
    for (;;) {
      const r = (await this.#request('receive', undefined, false, undefined, true)) as IteratorResult<T>;
      if (r.done === true) return;
      yield r.value;
    }
  }

  /**
   * A receive case for `select` (from `tasklets`), which may mix it with local cases and
   * cases of other threads' channels: the select completes exactly one case.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { Channel, select } from 'tasklets';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const work = attach<string>((workerData as { jobs: SharedChannel<string> }).jobs);
   * const quit = new Channel<void>({ name: 'quit' });
   * const r = await select({ job: work.receiveCase(), quit: quit.receiveCase() });
   * if (r.key === 'job' && !r.done) console.log('working on', r.value);
   * ```
   */
  receiveCase(): RemoteReceiveCase<T> {
    installSelect();
    return new RemoteReceiveCase(this);
  }

  /**
   * A send case for `select` (from `tasklets`): the value is copied to the owner when the
   * select waits, and sent there only if the select completes this case.
   *
   * @example
   * ```ts
   * import { workerData } from 'node:worker_threads';
   * import { Channel, select } from 'tasklets';
   * import { attach, type SharedChannel } from 'tasklets/worker';
   * const results = attach<number>((workerData as { results: SharedChannel<number> }).results);
   * const quit = new Channel<void>({ name: 'quit' });
   * await select({ sent: results.sendCase(42), quit: quit.receiveCase() });
   * ```
   */
  sendCase(value: T): RemoteSendCase<T> {
    installSelect();
    return new RemoteSendCase(this, value);
  }

  /**
   * @internal Starts select case `m` (lib/worker/select.ts): `on` hears every reply to it,
   * and `null` if the owner is gone. Throws `ChannelGoneError`, or a `TypeError` if the
   * value cannot be copied (nothing sent).
   */
  _caseStart(m: Extract<Request, { id: number }>, on: (r: Reply | null) => void): void {
    const v = m.t === 'ss' ? m.v : undefined;
    if (this.#gone !== null) throw new ChannelGoneError(`select() on ${this.toString()}: ${this.#gone}`, v);
    try {
      if (m.t === 'ss') checkCopy(v);
      this.#post(m);
    } catch (e) {
      throw new TypeError(`select(): a value of type ${typeName(v)} cannot be copied to another thread (${e instanceof Error ? e.message : String(e)}); nothing was sent`);
    }
    this.#cases.set(m.id, on);
    this.#port.ref();
  }

  /** @internal A fresh request id. */
  _id(): number {
    return this.#next++;
  }

  /** @internal Posts a follow-up of a select case (`go`, `again`, `a`, `n`, `c`). */
  _casePost(m: Request): void {
    if (this.#gone === null) this.#post(m);
  }

  /** @internal Select case `id` is over: no more replies to it. */
  _caseEnd(id: number): void {
    if (this.#cases.delete(id) && this.#pending.size + this.#cases.size === 0) this.#port.unref();
  }

  /** @internal How the deadlock report names this channel (lib/worker/peers.ts). */
  _where(): string {
    return `channel ${JSON.stringify(this.name)} of thread ${this.#owner}`;
  }

  /**
   * `RemoteChannel "name"`.
   *
   * @example
   * ```ts
   * console.log(`${jobs}`); // RemoteChannel "jobs"
   * ```
   */
  toString(): string {
    return this.name === undefined ? 'RemoteChannel' : `RemoteChannel ${JSON.stringify(this.name)}`;
  }

  #request(what: 'send' | 'receive' | 'close', value: unknown, thrown: boolean, options: RemoteSendOptions | undefined, iterate = false): Promise<unknown> {
    const where = what === 'close' ? 'close()' : thrown ? 'sendThrow()' : `${what}()`;
    const signal = options?.signal;
    if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean')) {
      return Promise.reject(new TypeError(`${where}: options.signal must be an AbortSignal, received ${show(signal)}`));
    }
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.#gone !== null) return Promise.reject(new ChannelGoneError(`${where} on ${this.toString()}: ${this.#gone}`, value));
    const by = S.busy ? S.current : away.count === 0 ? undefined : null;
    const transfer = options && 'transfer' in options ? options.transfer : undefined;
    if (what === 'send' && this.#credits.held) {
      try {
        return this.#credits.put(value, thrown, transfer, where, checkCopy) ? RESOLVED : this.#request(what, value, thrown, options);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const id = this.#next++;
    const message: Request = what === 'send' ? (thrown ? { t: 's', id, v: value, x: true } : { t: 's', id, v: value }) : what === 'receive' ? { t: 'r', id } : { t: 'close', id };
    try {
      if (!thrown) checkCopy(value);
      this.#post(message, transfer === undefined ? undefined : [...transfer]);
    } catch (e) {
      return Promise.reject(
        new TypeError(`${where}: a value of type ${typeName(value)} cannot be copied to another thread (${e instanceof Error ? e.message : String(e)}); nothing was sent`),
      );
    }
    return new Promise((resolve, reject) => {
      const p: Pending = { resolve, reject, value, what, iterate, signal, onAbort: undefined, by };
      if (signal !== undefined) {
        p.onAbort = () => {
          if (this.#pending.has(id)) this.#post({ t: 'c', id });
        };
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.#pending.set(id, p);
      this.#port.ref();
      remoteWaits.set(p, this);
    });
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (p === undefined) return undefined;
    this.#pending.delete(id);
    remoteWaits.delete(p);
    if (p.onAbort !== undefined) p.signal!.removeEventListener('abort', p.onAbort);
    if (this.#pending.size + this.#cases.size === 0) this.#port.unref();
    return p;
  }

  #reply(r: Reply): void {
    received(this.#port);
    if (r.t === 'ok' && r.c !== undefined) this.#credits.grant(r.c);
    const onCase = this.#cases.get(r.id);
    if (onCase !== undefined) return onCase(r);
    if (r.t === 'v') this.#post({ t: 'a', id: r.id }); // arrived: before anyone sees it
    const p = this.#settle(r.id);
    if (p === undefined) return;
    switch (r.t) {
      case 'ok':
        p.resolve(undefined);
        break;
      case 'v':
        if (r.x === true) p.reject(r.v);
        else p.resolve(p.iterate ? { value: r.v, done: false } : r.v);
        break;
      case 'end':
        if (p.iterate) p.resolve({ value: undefined, done: true });
        else p.reject(new ChannelClosedError(`receive on closed ${this.toString()}: closed and drained`));
        break;
      case 'aborted':
        p.reject(p.signal?.reason);
        break;
      case 'err':
        if (r.closed === true) p.reject(new ChannelClosedError(r.message, p.value));
        else p.reject(r.name === 'TypeError' ? new TypeError(r.message) : Object.assign(new Error(r.message), { name: r.name }));
        break;
    }
  }

  #lost(why: string): void {
    removePort(this.#port, false);
    if (this.#gone !== null) return;
    this.#gone = why;
    for (const id of [...this.#pending.keys()]) {
      const p = this.#settle(id)!;
      p.reject(new ChannelGoneError(`${p.what}() on ${this.toString()}: ${why}`, p.what === 'send' ? p.value : undefined));
    }
    for (const [id, on] of [...this.#cases]) {
      this.#cases.delete(id);
      on(null);
    }
  }
}
