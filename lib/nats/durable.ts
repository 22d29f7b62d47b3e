/**
 * A durable buffered channel across processes: its values live in a JetStream work-queue
 * stream bounded to `capacity` (lib/nats/stream.ts). A send resolves once the stream has
 * stored the value; a full stream refuses it, and the send parks and offers it again (a
 * refused value was not stored). A receive fetches from the shared consumer and
 * acknowledges a value only when a local receive takes it, in one synchronous step (so an
 * aborted receive takes nothing, and a process that dies before taking leaves the value to
 * be delivered again after `ackWait`).
 *
 * A send whose answer is lost (a timeout, a dropped connection, the server restarting) is
 * repeated with the same sender id and sequence number until it is stored or
 * `unavailableTimeout` passes: the repeat may store the value a second time (the server's
 * `Nats-Msg-Id` dedupe forgets ids once the work queue deleted their message), and the
 * receiving process drops the copy by that id and sequence (`Seen`). docs/nats.md has the
 * guarantees and their limits.
 */
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { ChannelClosedError } from '../base/errors';
import { NatsChannelError } from './errors';
import { type Link, linkOf } from './link';
import { endAll, failAll, type Parked } from './parked';
import { checkSignal, type NatsChannelOptions, type NatsOperationOptions, type Settings, settings } from './options';
import { closeMarked, CONSUMER, drained, ensureStream, Seen, streamName } from './stream';
import { receiving } from './iterate';
import { Replies, store } from './replies';
import { control, decode, encode, readWord, word } from './wire';

/**
 * Values fetched ahead of the local receives, held unacknowledged for at most `linger` ms
 * once no receive is parked. 256 against 64: 0.79–0.81× raw JetStream's throughput against
 * 0.60–0.69× (bench/nats.ts), at the price of one process holding more while others wait.
 */
const PREFETCH = 256;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A buffered channel of `capacity` values kept in a JetStream stream, shared by every
 * process that makes it on the same subject and server. Make one with
 * `natsChannel(nc, subject, { capacity, durable: true })`.
 *
 * @example
 * ```ts
 * import { connect } from 'nats';
 * import { natsChannel } from 'tasklets/nats';
 * const nc = await connect({ servers: '127.0.0.1:4222' });
 * const jobs = natsChannel<string>(nc, 'jobs', { capacity: 1000, durable: true });
 * await jobs.send('resize a.png'); // resolves once the server has stored it
 * ```
 */
export class DurableNatsChannel<T> {
  /** The subject the values are published on. */
  readonly subject: string;
  /** The channel's name: the subject unless `options.name` says otherwise. */
  readonly name: string;
  /** The stream's bound. */
  readonly capacity: number;
  /** The JetStream stream holding the values. */
  readonly stream: string;
  readonly #nc: NatsConnection;
  readonly #link: Link;
  readonly #s: Settings;
  readonly #ready: Promise<JetStreamManager>;
  readonly #js: JetStreamClient;
  readonly #replies: Replies;
  readonly #id = globalThis.crypto.randomUUID();
  #seq = 0;
  #closed = false;
  /** Duplicates dropped and values taken, by sender: see `Seen`. */
  readonly seen = new Seen();
  readonly #parked: Parked[] = [];
  #held: { m: JsMsg; at: number }[] = [];
  #pumping = false;
  #consumer: Consumer | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The fetch in progress: stopped only when the connection closes (its heartbeat check would log after the close). */
  #batch: ConsumerMessages | undefined;

  /** @internal Use `natsChannel(nc, subject, { capacity, durable })`. */
  constructor(nc: NatsConnection, subject: string, options: NatsChannelOptions | undefined) {
    this.#s = settings('natsChannel()', options);
    this.#nc = nc;
    this.subject = subject;
    this.name = this.#s.name ?? subject;
    this.capacity = this.#s.capacity;
    this.stream = streamName(subject, this.#s.durable ?? '');
    this.#link = linkOf(nc);
    this.#replies = new Replies(nc, this.#s.requestTimeout, this.#s.linger);
    this.#link.listeners.add({ down: () => this.#replies.loseAll(), up: () => undefined, closed: () => (this.#replies.loseAll(), this.#batch?.stop()) });
    this.#js = nc.jetstream({ timeout: this.#s.requestTimeout });
    if (this.#link.closedBecause === null) nc.subscribe(control(subject, 'ctl'), { callback: (_e, m) => readWord(m.data) === 'close' && this.#markClosed() });
    this.#ready = ensureStream(nc, this.stream, subject, this.capacity, this.#s.ackWait).then(async (jsm) => {
      if (await closeMarked(jsm, this.stream, subject)) this.#markClosed();
      return jsm;
    });
    this.#ready.catch(() => undefined); // each operation reports it
  }

  /**
   * Sends `value`: resolves once the stream has stored it; parks while the stream is full.
   * Rejects with `ChannelClosedError` on a closed channel, `NatsChannelError` if it could
   * not be stored within `unavailableTimeout` (`maybeDelivered: true` if an attempt's answer
   * was lost), a `TypeError` if JSON cannot carry it.
   *
   * @example
   * ```ts
   * await jobs.send('resize b.png');
   * ```
   */
  send(value: T, options?: NatsOperationOptions): Promise<void> {
    return this.#send(value, false, options);
  }

  /**
   * Sends `error` to be thrown by the receive that takes it (name, message, stack and
   * cause cross; the class and other properties do not).
   *
   * @example
   * ```ts
   * await results.sendThrow(new Error('job 7 failed'));
   * ```
   */
  sendThrow(error: unknown, options?: NatsOperationOptions): Promise<void> {
    return this.#send(error, true, options);
  }

  /**
   * Receives the next value; acknowledges it to the server as it is taken.
   *
   * @example
   * ```ts
   * const job = await jobs.receive({ signal: AbortSignal.timeout(1000) });
   * ```
   */
  async receive(options?: NatsOperationOptions): Promise<T> {
    return (await this.#receive('receive()', options, false)) as T;
  }

  /**
   * Closes the channel in every process: the close mark is stored after every value
   * already stored; receivers see end-of-channel once no value is left.
   *
   * @example
   * ```ts
   * await jobs.close();
   * ```
   */
  async close(): Promise<void> {
    await this.#ready;
    if (!this.#closed) await this.#js.publish(control(this.subject, 'closed'), word('close'));
    this.#nc.publish(control(this.subject, 'ctl'), word('close'));
    this.#markClosed();
    await this.#nc.flush();
  }

  /**
   * Receives until the channel is closed and drained.
   *
   * @example
   * ```ts
   * for await (const job of jobs) console.log(job);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return receiving(() => this.#receive('for await', undefined, true) as Promise<IteratorResult<T>>);
  }

  /**
   * `DurableNatsChannel "name"`.
   *
   * @example
   * ```ts
   * console.log(`${jobs}`); // DurableNatsChannel "jobs"
   * ```
   */
  toString(): string {
    return `DurableNatsChannel ${JSON.stringify(this.name)}`;
  }

  async #send(value: unknown, thrown: boolean, options: NatsOperationOptions | undefined): Promise<void> {
    const where = thrown ? 'sendThrow()' : 'send()';
    const signal = checkSignal(where, options);
    await this.#ready;
    signal?.throwIfAborted();
    if (this.#closed) throw new ChannelClosedError(`${where} on closed ${this.toString()}`, value);
    const seq = ++this.#seq;
    const data = encode(where, value, thrown, this.#id, seq);
    let uncertainSince = 0;
    let wait = 1;
    const started = Date.now();
    for (;;) {
      const fail = (why: string, reason: 'closed' | 'unavailable'): NatsChannelError =>
        new NatsChannelError(
          `${where} on ${this.toString()}: ${why}${uncertainSince !== 0 ? '; an earlier attempt may have stored it' : '; not stored'}`,
          reason,
          value,
          uncertainSince !== 0,
        );
      if (signal?.aborted === true) {
        if (uncertainSince === 0) throw signal.reason;
        throw Object.assign(fail('aborted', 'unavailable'), { cause: signal.reason as unknown });
      }
      if (this.#link.closedBecause !== null) throw fail(this.#link.closedBecause, 'closed');
      // unavailableTimeout counts from the first lost answer, or from the outage (not before this send began).
      const since = this.#link.isUp ? uncertainSince : Math.min(uncertainSince || Infinity, Math.max(started, this.#link.downSince));
      if (since !== 0 && Date.now() - since >= this.#s.unavailableTimeout) throw fail(`not stored within unavailableTimeout (${this.#s.unavailableTimeout} ms)`, 'unavailable');
      if (this.#link.isUp) {
        const r = await store(this.#replies, this.subject, data, `${this.#id}:${seq}`);
        if (r === 'stored') return;
        if (r === 'full')
          wait = Math.min(wait * 2, 50); // refused, not stored; park
        else {
          if (r === 'uncertain' && uncertainSince === 0) uncertainSince = Date.now();
          wait = 50;
        }
      } else wait = 50;
      await sleep(wait);
    }
  }

  async #receive(where: string, options: NatsOperationOptions | undefined, iterate: boolean): Promise<unknown> {
    const signal = checkSignal(where, options);
    await this.#ready;
    signal?.throwIfAborted();
    if (this.#link.closedBecause !== null) throw new NatsChannelError(`${where} on ${this.toString()}: ${this.#link.closedBecause}`, 'closed');
    for (let h = this.#held.shift(); h !== undefined; h = this.#held.shift()) {
      const got = this.#take(h.m, iterate);
      if (got !== null) return got;
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#parked.indexOf(p);
        if (i === -1) return;
        this.#parked.splice(i, 1);
        reject(signal!.reason);
        this.#idle();
      };
      const p: Parked = { resolve, reject, iterate, cleanUp: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#parked.push(p);
      void this.#pump();
    });
  }

  /** Takes a fetched value in one step: records it, acknowledges it, returns it; `null` for a copy already taken. */
  #take(m: JsMsg, iterate: boolean): Promise<unknown> | null {
    let envelope;
    try {
      envelope = decode(m.data);
    } catch (e) {
      m.term();
      return Promise.reject(new TypeError(`receive() on ${this.toString()}: a message that is not a channel value arrived (${e instanceof Error ? e.message : String(e)})`));
    }
    m.ack();
    if (envelope.id !== undefined && !this.seen.add(envelope.id, envelope.seq!)) return null;
    if (envelope.thrown) return Promise.reject(envelope.value);
    return Promise.resolve(iterate ? { value: envelope.value, done: false } : envelope.value);
  }

  #arrive(m: JsMsg): void {
    for (;;) {
      const p = this.#parked.shift();
      if (p === undefined) {
        this.#held.push({ m, at: Date.now() });
        return;
      }
      p.cleanUp();
      const got = this.#take(m, p.iterate);
      if (got === null) {
        this.#parked.unshift(p); // a duplicate: the receive waits on
        return;
      }
      got.then(p.resolve, p.reject);
      this.#idle();
      return;
    }
  }

  /** Fetches while local receives are parked; lets go of held values no one took within `linger`. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      const consumer = (this.#consumer ??= await this.#js.consumers.get(this.stream, CONSUMER));
      let empty = this.#closed;
      /** When this loop first saw the outage: parked receives fail `unavailableTimeout` after. */
      let downFrom = 0;
      while (this.#parked.length !== 0) {
        if (this.#link.closedBecause !== null) return this.#failParked('closed', this.#link.closedBecause);
        if (!this.#link.isUp) {
          downFrom ||= Date.now();
          if (Date.now() - downFrom >= this.#s.unavailableTimeout) {
            this.#failParked('unavailable', `the server has been unreachable for ${this.#s.unavailableTimeout} ms`);
            downFrom = 0;
          } else await sleep(50);
          continue;
        }
        downFrom = 0;
        // Closed: once a fetch came back short and the consumer has nothing stored or unacknowledged, it is the end.
        if (empty && this.#closed && this.#held.length === 0 && (await drained(await this.#ready, this.stream).catch(() => false))) {
          endAll(this.#parked, this.toString());
          break;
        }
        let got = 0;
        const asked = this.#parked.length + PREFETCH;
        try {
          // Never ended early from here: the server keeps a pull request open until it expires or is
          // filled, and values it sends to a pull the client has closed wait out ackWait unseen.
          const batch = (this.#batch = await consumer.fetch({ max_messages: asked, expires: 1000 }));
          for await (const m of batch) {
            got++;
            this.#arrive(m);
          }
        } catch {
          await sleep(50); // the server restarting: fetch again
          continue;
        }
        empty = got < asked; // expired or ended by a close: the stream may be empty
      }
    } catch (e) {
      this.#failParked('refused', e instanceof Error ? e.message : String(e));
    } finally {
      this.#pumping = false;
      this.#idle();
    }
  }

  /**
   * No local receive parked: once the fetch in progress has ended (within a second) and
   * `linger` ms passed with still none, the values held here go back to the server (`nak`),
   * for any process to take.
   */
  #idle(): void {
    if (this.#parked.length !== 0 || this.#pumping || this.#idleTimer !== undefined) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#parked.length !== 0 || this.#pumping) return;
      for (const h of this.#held.splice(0)) h.m.nak();
    }, this.#s.linger);
  }

  #failParked(reason: 'closed' | 'unavailable' | 'refused', why: string): void {
    failAll(this.#parked, new NatsChannelError(`receive() on ${this.toString()}: ${why}`, reason));
  }

  #markClosed(): void {
    this.#closed = true;
  }
}
