/**
 * A rendezvous channel on a NATS subject, used from any number of processes with the
 * interface of a local one. A send is a request on the subject: it resolves when a
 * receiver in some process has taken the value and answered `ok` (lib/nats/receivers.ts
 * says how receivers pull, and why an aborted receive swallows nothing). A send whose
 * offer finds no receiver listening (`no responders`) or is declined parks until a
 * receiver announces itself, then offers again: the value was certainly not taken, so
 * offering it again is not a retry of a delivery. Once the offer has left and its answer
 * does not come (timeout, connection dropped), the send rejects with `NatsChannelError`,
 * `maybeDelivered: true`, and is never offered again by the library.
 *
 * Close is announced on `_tasklets.<subject>.ctl` and remembered by every process that
 * heard it (they answer `_tasklets.<subject>.closed` for processes that come later).
 */
import type { NatsConnection, Subscription } from 'nats';
import { ChannelClosedError } from '../base/errors';
import { NatsChannelError } from './errors';
import { type Link, type LinkListener, linkOf } from './link';
import { noResponders, Replies } from './replies';
import { Receivers } from './receivers';
import { receiving } from './iterate';
import { control, encode, readWord, word } from './wire';
import { checkSignal, type NatsChannelOptions, type NatsOperationOptions, settings } from './options';

/** Whether an answer is `ok`. */
const isOk = (d: Uint8Array): boolean => d.length === 2 && d[0] === 0x6f && d[1] === 0x6b;

/**
 * A rendezvous channel bound to a NATS subject: `send`, `sendThrow`, `receive`, `close`,
 * `for await`, each with an `AbortSignal`. Make one with {@link natsChannel}.
 *
 * @example
 * ```ts
 * import { connect } from 'nats';
 * import { natsChannel } from 'tasklets/nats';
 * const nc = await connect({ servers: '127.0.0.1:4222' });
 * const jobs = natsChannel<string>(nc, 'jobs');
 * await jobs.send('resize a.png'); // resolves once a receiver, in some process, took it
 * ```
 */
export class NatsChannel<T> {
  /** The subject the channel lives on. */
  readonly subject: string;
  /** The channel's name: the subject unless `options.name` says otherwise. */
  readonly name: string;
  readonly #nc: NatsConnection;
  readonly #link: Link;
  readonly #timeout: number;
  readonly #unavailable: number;
  readonly #receivers: Receivers;
  readonly #ready: Promise<void>;
  #closed = false;
  #closedSub: Subscription | null = null;
  /** Sends in progress here, and the subscriptions they need while there are any. */
  #sending = 0;
  #pendingSub: Subscription | undefined;
  #readySub: Subscription | undefined;
  /** Wakers of parked sends: an announcement, a reconnect, a close, an abort. */
  readonly #wakers = new Set<() => void>();
  /** Counts wake-ups: a send whose offer found no receiver parks only if none came while it was on its way. */
  #epoch = 0;
  /** Offers on their way and their answers: a dropped connection rejects them. */
  readonly #offers: Replies;
  #lastSend = 0;
  #senderIdle: ReturnType<typeof setTimeout> | undefined;
  readonly #linger: number;
  #isReady = false;
  #downTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last down timer was armed: a receive made after it fired waits a full timeout. */
  #downArmed = 0;

  /** @internal Use {@link natsChannel}. */
  constructor(nc: NatsConnection, subject: string, options: NatsChannelOptions | undefined) {
    const s = settings('natsChannel()', options);
    this.#nc = nc;
    this.subject = subject;
    this.name = s.name ?? subject;
    this.#timeout = s.requestTimeout;
    this.#unavailable = s.unavailableTimeout;
    this.#linger = s.linger;
    this.#link = linkOf(nc);
    this.#offers = new Replies(nc, s.requestTimeout, s.linger);
    this.#receivers = new Receivers(nc, subject, s.linger, s.requestTimeout, () => this.toString());
    const listener: LinkListener = { down: () => this.#down(), up: () => this.#up(), closed: () => this.#gone() };
    this.#link.listeners.add(listener);
    if (this.#link.closedBecause !== null) {
      this.#ready = Promise.resolve();
      return;
    }
    nc.subscribe(control(subject, 'ctl'), { callback: (_e, m) => readWord(m.data) === 'close' && this.#markClosed() });
    this.#ready = nc.request(control(subject, 'closed'), undefined, { timeout: s.requestTimeout }).then(
      (m) => void (readWord(m.data) === 'closed' && this.#markClosed()),
      () => undefined, // no responders: no live process has seen a close
    );
    void this.#ready.then(() => (this.#isReady = true));
  }

  /**
   * Sends `value`: resolves once a receiver in some process has taken it. Rejects with
   * `ChannelClosedError` (`.value`) on a closed channel, `NatsChannelError` (`.value`,
   * `.maybeDelivered`) when the answer did not come or the server stayed away, a `TypeError`
   * if JSON cannot carry the value (nothing sent), or the signal's reason if aborted first.
   *
   * @example
   * ```ts
   * await jobs.send('resize b.png', { signal: AbortSignal.timeout(10_000) });
   * ```
   */
  send(value: T, options?: NatsOperationOptions): Promise<void> {
    return this.#send(value, false, options);
  }

  /**
   * Sends `error` to be thrown by the receive that takes it: its `name`, `message`,
   * `stack` and `cause` cross (a non-error is wrapped in an `Error` whose `cause` is it);
   * its class and other own properties do not.
   *
   * @example
   * ```ts
   * await results.sendThrow(new Error('job 7 failed', { cause: { code: 'ENOENT' } }));
   * ```
   */
  sendThrow(error: unknown, options?: NatsOperationOptions): Promise<void> {
    return this.#send(error, true, options);
  }

  /**
   * Receives the next value sent by any process. Rejects with `ChannelClosedError` once
   * the channel is closed and no process has a send pending, with `NatsChannelError` if
   * the connection closes or the server stays away longer than `unavailableTimeout`.
   *
   * @example
   * ```ts
   * const job = await jobs.receive({ signal: AbortSignal.timeout(1000) });
   * ```
   */
  receive(options?: NatsOperationOptions): Promise<T> {
    return this.#receive('receive()', options, false) as Promise<T>;
  }

  /**
   * Closes the channel in every process: later sends reject with `ChannelClosedError`;
   * sends already pending are still received; then receivers see end-of-channel.
   * Resolves once the server has the announcement. Idempotent.
   *
   * @example
   * ```ts
   * await jobs.close();
   * ```
   */
  async close(): Promise<void> {
    await this.#ready;
    if (this.#link.closedBecause !== null) throw new NatsChannelError(`close() on ${this.toString()}: ${this.#link.closedBecause}`, 'closed');
    this.#nc.publish(control(this.subject, 'ctl'), word('close'));
    this.#markClosed();
    await this.#nc.flush();
  }

  /**
   * Receives until the channel is closed and drained.
   *
   * @example
   * ```ts
   * for await (const job of jobs) console.log('working on', job);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return receiving(() => this.#receive('for await', undefined, true) as Promise<IteratorResult<T>>);
  }

  /**
   * `NatsChannel "name"`.
   *
   * @example
   * ```ts
   * console.log(`${jobs}`); // NatsChannel "jobs"
   * ```
   */
  toString(): string {
    return `NatsChannel ${JSON.stringify(this.name)}`;
  }

  #receive(where: string, options: NatsOperationOptions | undefined, iterate: boolean): Promise<unknown> {
    let signal;
    try {
      signal = checkSignal(where, options);
    } catch (e) {
      return Promise.reject(e);
    }
    if (!this.#isReady) return this.#ready.then(() => this.#receive(where, options, iterate));
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.#link.closedBecause !== null) return Promise.reject(new NatsChannelError(`${where} on ${this.toString()}: ${this.#link.closedBecause}`, 'closed'));
    const p = this.#receivers.receive(signal, iterate);
    if (!this.#link.isUp) this.#armDownTimer();
    return p;
  }

  async #send(value: unknown, thrown: boolean, options: NatsOperationOptions | undefined): Promise<void> {
    const where = thrown ? 'sendThrow()' : 'send()';
    const signal = checkSignal(where, options);
    if (!this.#isReady) await this.#ready;
    signal?.throwIfAborted();
    if (this.#closed) throw new ChannelClosedError(`${where} on closed ${this.toString()}`, value);
    const data = encode(where, value, thrown);
    if (this.#link.closedBecause !== null) throw new NatsChannelError(`${where} on ${this.toString()}: ${this.#link.closedBecause}; not sent`, 'closed', value);
    this.#startSending();
    const started = Date.now();
    try {
      for (;;) {
        if (this.#link.closedBecause !== null) throw new NatsChannelError(`${where} on ${this.toString()}: ${this.#link.closedBecause}; not sent`, 'closed', value);
        if (!this.#link.isUp) {
          // Waits unavailableTimeout from the outage or from this send's start, whichever is later.
          const left = Math.max(started, this.#link.downSince) + this.#unavailable - Date.now();
          if (left <= 0) throw new NatsChannelError(`${where} on ${this.toString()}: the server has been unreachable for ${this.#unavailable} ms; not sent`, 'unavailable', value);
          const timer = setTimeout(() => this.#wakeSenders(), left);
          await this.#park(signal);
          clearTimeout(timer);
          continue;
        }
        // Noted before the offer: an announcement that comes while it is on its way is not missed.
        const epoch = this.#epoch;
        const answer = await this.#offer(data, where, value);
        if (answer === 'ok') return;
        if (answer === 'none') {
          if (this.#closed) throw new ChannelClosedError(`${where} on closed ${this.toString()}: no receiver is left to take it`, value);
          if (epoch === this.#epoch) await this.#park(signal);
        } // 'no' (declined): offer again at once
        signal?.throwIfAborted();
      }
    } finally {
      this.#stopSending();
    }
  }

  /** The answer to one offer: `'ok'` (taken), `'no'` (declined) or `'none'` (no receiver listening); rejects with `NatsChannelError` when it is lost. */
  #offer(data: Uint8Array, where: string, value: unknown): Promise<'ok' | 'no' | 'none'> {
    return new Promise((resolve, reject) => {
      try {
        this.#offers.ask(this.subject, data, undefined, (o) => {
          if (typeof o !== 'string') resolve(isOk(o.data) ? 'ok' : noResponders(o) ? 'none' : 'no');
          else if (o === 'timeout') reject(new NatsChannelError(`${where} on ${this.toString()}: no answer within ${this.#timeout} ms`, 'timeout', value, true));
          else if (this.#link.closedBecause !== null) reject(new NatsChannelError(`${where} on ${this.toString()}: ${this.#link.closedBecause}`, 'closed', value, true));
          else reject(new NatsChannelError(`${where} on ${this.toString()}: the connection dropped before the answer came`, 'disconnected', value, true));
        });
      } catch (e) {
        reject(new NatsChannelError(`${where} on ${this.toString()}: ${e instanceof Error ? e.message : String(e)}; not sent`, 'closed', value));
      }
    });
  }

  /**
   * Parks a send until an announcement, a reconnect, a close or an abort. While sends are
   * parked here, this process answers "pending" probes: a receiver after a close asks
   * whether any process still has a value to offer, and no responders means none. (A send
   * whose offer is on its way is seen by the receivers as the offer itself.)
   */
  #park(signal: AbortSignal | undefined): Promise<void> {
    if (this.#wakers.size === 0) this.#pendingSub ??= this.#nc.subscribe(control(this.subject, 'pending'), { callback: (_e, m) => m.respond(word('yes')) });
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.#wakers.delete(wake);
        signal?.removeEventListener('abort', wake);
        if (this.#wakers.size === 0) {
          if (this.#link.closedBecause === null) this.#pendingSub?.unsubscribe();
          this.#pendingSub = undefined;
        }
        resolve();
      };
      this.#wakers.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  #wakeSenders(): void {
    this.#epoch++;
    for (const w of [...this.#wakers]) w();
  }

  /**
   * The first send subscribes to announcements; the subscription stays `linger` ms after
   * the last send, sparing a lone sender a subscription per value.
   */
  #startSending(): void {
    this.#sending++;
    this.#readySub ??= this.#nc.subscribe(control(this.subject, 'ready'), { callback: () => this.#wakeSenders() });
  }

  #stopSending(): void {
    this.#lastSend = Date.now();
    if (--this.#sending !== 0 || this.#senderIdle !== undefined) return;
    const check = (): void => {
      const left = this.#lastSend + this.#linger - Date.now();
      if (this.#sending !== 0) this.#senderIdle = undefined;
      else if (left > 0) this.#senderIdle = setTimeout(check, left);
      else {
        this.#senderIdle = undefined;
        if (this.#link.closedBecause === null) this.#readySub?.unsubscribe();
        this.#readySub = undefined;
      }
    };
    this.#senderIdle = setTimeout(check, this.#linger);
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#link.closedBecause === null) this.#closedSub = this.#nc.subscribe(control(this.subject, 'closed'), { callback: (_e, m) => m.respond(word('closed')) });
    this.#receivers.closed();
    this.#wakeSenders();
  }

  /**
   * While the server is away, parked receives fail after `unavailableTimeout`, counted from
   * the outage or, for receives made during it, from the first of them. (Sends keep their
   * own deadline.)
   */
  #armDownTimer(): void {
    if (this.#downTimer !== undefined) return;
    const left = Math.max(0, Math.max(this.#link.downSince, this.#downArmed) + this.#unavailable - Date.now());
    this.#downArmed = Date.now();
    this.#downTimer = setTimeout(() => {
      this.#downTimer = undefined;
      if (this.#link.isUp) return;
      this.#receivers.fail(new NatsChannelError(`receive() on ${this.toString()}: the server has been unreachable for ${this.#unavailable} ms`, 'unavailable'));
    }, left);
  }

  #down(): void {
    this.#offers.loseAll();
    this.#receivers.down();
    if (this.#receivers.parked !== 0) this.#armDownTimer();
  }

  #up(): void {
    clearTimeout(this.#downTimer);
    this.#downTimer = undefined;
    this.#wakeSenders(); // announcements made while away were lost: offer again
  }

  #gone(): void {
    clearTimeout(this.#downTimer);
    this.#offers.loseAll();
    this.#receivers.fail(new NatsChannelError(`receive() on ${this.toString()}: ${this.#link.closedBecause ?? 'the connection is closed'}`, 'closed'));
    this.#wakeSenders();
    void this.#closedSub;
  }
}
