/**
 * A rendezvous channel's offers and their answers, without the client's `request()`: one
 * subscription per sending channel on an inbox of its own (`<inbox prefix>.<id>.*`), each
 * offer published with a reply subject under it, its answer found by token in a map, and
 * one timer for all the offers' deadlines.
 *
 * Why not `request()`: per request the client makes a subscription entry, a promise, a
 * timer, and three `Error`s (a stack trace for the caller, a timeout error made ahead of
 * time, and a "cancelled" error made after the answer, even when unused) — about half of
 * the CPU a rendezvous value cost at 64 concurrent senders (bench/nats.ts, docs/nats.md).
 *
 * The answers mean the same: `ok` (taken), `no` (declined), a status 503 with no payload
 * (NATS's "no responders": no receiver is listening). The inbox subscription is made before
 * the first offer on the same connection, so the server knows it before any offer it
 * answers. Offers wait in the map in the order made and all have the same timeout, so the
 * first one is always the next to time out.
 */
import type { Msg, NatsConnection, Subscription } from 'nats';

/** What became of an offer. */
export type Outcome = 'ok' | 'no' | 'none' | 'timeout' | 'lost';

const O = 0x6f; // 'o'
const K = 0x6b; // 'k'

/** Whether an answer is a status 503 with no payload ("no responders"). */
const noResponders = (m: Msg): boolean => m.data.length === 0 && m.headers?.code === 503;

/** The offers of one channel in this process. */
export class Offers {
  readonly #nc: NatsConnection;
  readonly #timeout: number;
  readonly #prefix: string;
  #sub: Subscription | null = null;
  #token = 0;
  /** Offers waiting for their answer, in the order made: token → when it times out, and who hears the outcome. */
  readonly #waiting = new Map<string, { until: number; settle: (o: Outcome) => void }>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(nc: NatsConnection, timeout: number) {
    this.#nc = nc;
    this.#timeout = timeout;
    const inbox = (nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix || '_INBOX';
    this.#prefix = `${inbox}.${globalThis.crypto.randomUUID()}.`;
  }

  /** Offers `data` on `subject`; `settle` hears the outcome once. Throws what `publish` throws (the connection closed: nothing sent). */
  offer(subject: string, data: Uint8Array, settle: (o: Outcome) => void): void {
    this.#sub ??= this.#nc.subscribe(`${this.#prefix}*`, { callback: (_e, m) => this.#answer(m) });
    const token = String(++this.#token);
    this.#nc.publish(subject, data, { reply: this.#prefix + token });
    this.#waiting.set(token, { until: Date.now() + this.#timeout, settle });
    this.#timer ??= setTimeout(() => this.#expire(), this.#timeout);
  }

  /** Every offer waiting hears `lost` (the connection dropped or closed: their answers will not come). */
  loseAll(): void {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const w of all) w.settle('lost');
  }

  /** Stops listening for answers (no offer is waiting: the channel has stopped sending). */
  stop(): void {
    if (this.#waiting.size !== 0) return;
    this.#sub?.unsubscribe();
    this.#sub = null;
  }

  #answer(m: Msg): void {
    const token = m.subject.slice(this.#prefix.length);
    const w = this.#waiting.get(token);
    if (w === undefined) return; // timed out or lost already
    this.#waiting.delete(token);
    const d = m.data;
    w.settle(d.length === 2 && d[0] === O && d[1] === K ? 'ok' : noResponders(m) ? 'none' : 'no');
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
  }
}
