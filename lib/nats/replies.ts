/**
 * Requests and their answers without the client's `request()`, for a channel's rendezvous
 * offers and durable publishes: one subscription per channel on an inbox of its own
 * (`<inbox prefix>.<id>.*`), each request published with a reply subject under it, its
 * answer found by token in a map, and one timer for all the deadlines.
 *
 * Why not `request()` (or `jetstream().publish()`, which uses it): per request the client
 * makes a subscription entry, a promise, a timer, and three `Error`s (a stack trace for the
 * caller, a timeout error made ahead of time, a "cancelled" error made after the answer
 * even when unused) — at 64 rendezvous senders, about half the CPU of a value
 * (bench/nats.ts, docs/nats.md).
 *
 * The inbox subscription is made before the first request on the same connection, so the
 * server knows it before it routes any answer; it is dropped `linger` ms after the last
 * request was answered. Requests wait in the map in the order made and all have the same
 * timeout, so the first one is always the next to time out.
 */
import type { Msg, MsgHdrs, NatsConnection, Subscription } from 'nats';

/** What became of a request: its answer, no answer within the timeout, or lost with the connection. */
export type Outcome = Msg | 'timeout' | 'lost';

/** Whether an answer is NATS's "no responders": a status 503 with no payload. */
export const noResponders = (m: Msg): boolean => m.data.length === 0 && m.headers?.code === 503;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Headers carrying only `Nats-Msg-Id` (JetStream's publish dedupe), as the 2.x client writes
 * them: `publish()` asks its headers for nothing but `encode()`.
 */
export function msgIdHeader(id: string): MsgHdrs {
  const bytes = encoder.encode(`NATS/1.0\r\nNats-Msg-Id: ${id}\r\n\r\n`);
  return { encode: () => bytes } as unknown as MsgHdrs;
}

/**
 * One JetStream publish with `Nats-Msg-Id` `msgId`, through `replies`: `'stored'`; `'full'`
 * when the stream refused it (not stored); `'unsent'` when the connection was closed (not
 * sent); `'uncertain'` when its answer was lost or was not an acknowledgement (no JetStream
 * responding, another error): it may or may not have been stored.
 */
export function store(replies: Replies, subject: string, data: Uint8Array, msgId: string): Promise<'stored' | 'full' | 'unsent' | 'uncertain'> {
  return new Promise((resolve) => {
    try {
      replies.ask(subject, data, msgIdHeader(msgId), (o) => {
        if (typeof o === 'string' || o.data.length === 0) return resolve('uncertain');
        try {
          const ack = JSON.parse(decoder.decode(o.data)) as { stream?: unknown; error?: { description?: unknown } };
          if (ack.error === undefined) resolve(typeof ack.stream === 'string' && ack.stream !== '' ? 'stored' : 'uncertain');
          else resolve(/maximum messages/i.test(String(ack.error.description)) ? 'full' : 'uncertain');
        } catch {
          resolve('uncertain');
        }
      });
    } catch {
      resolve('unsent');
    }
  });
}

/** The requests of one channel in this process. */
export class Replies {
  readonly #nc: NatsConnection;
  readonly #timeout: number;
  readonly #linger: number;
  readonly #prefix: string;
  #sub: Subscription | null = null;
  #token = 0;
  /** Requests waiting for their answer, in the order made: token → when it times out, and who hears the outcome. */
  readonly #waiting = new Map<string, { until: number; settle: (o: Outcome) => void }>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #lastAnswer = 0;

  constructor(nc: NatsConnection, timeout: number, linger: number) {
    this.#nc = nc;
    this.#timeout = timeout;
    this.#linger = linger;
    const inbox = (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix || '_INBOX';
    this.#prefix = `${inbox}.${globalThis.crypto.randomUUID()}.`;
  }

  /** Publishes `data` on `subject` with a reply subject; `settle` hears the outcome once. Throws what `publish` throws (then nothing was sent). */
  ask(subject: string, data: Uint8Array, headers: MsgHdrs | undefined, settle: (o: Outcome) => void): void {
    this.#sub ??= this.#nc.subscribe(`${this.#prefix}*`, { callback: (_e, m) => this.#answer(m) });
    const token = String(++this.#token);
    this.#nc.publish(subject, data, { reply: this.#prefix + token, headers });
    this.#waiting.set(token, { until: Date.now() + this.#timeout, settle });
    this.#timer ??= setTimeout(() => this.#expire(), this.#timeout);
  }

  /** Every request waiting hears `lost` (the connection dropped or closed: their answers will not come). */
  loseAll(): void {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const w of all) w.settle('lost');
  }

  #answer(m: Msg): void {
    const token = m.subject.slice(this.#prefix.length);
    const w = this.#waiting.get(token);
    if (w === undefined) return; // timed out or lost already
    this.#waiting.delete(token);
    if (this.#waiting.size === 0) {
      clearTimeout(this.#timer); // nothing left to time out: no timer holds the process
      this.#timer = undefined;
      this.#maybeIdle();
    }
    w.settle(m);
  }

  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (const [token, w] of this.#waiting) {
      if (w.until > now) {
        this.#timer = setTimeout(() => this.#expire(), w.until - now);
        return;
      }
      this.#waiting.delete(token);
      w.settle('timeout');
    }
    this.#maybeIdle();
  }

  /** Unsubscribes once no request has waited for `linger` ms. */
  #maybeIdle(): void {
    this.#lastAnswer = Date.now();
    if (this.#idle !== undefined) return;
    const check = (): void => {
      this.#idle = undefined;
      if (this.#waiting.size !== 0 || this.#sub === null) return;
      const left = this.#lastAnswer + this.#linger - Date.now();
      if (left > 0) this.#idle = setTimeout(check, left);
      else if (!this.#nc.isClosed()) {
        this.#sub.unsubscribe();
        this.#sub = null;
      } else this.#sub = null;
    };
    this.#idle = setTimeout(check, this.#linger);
  }
}
