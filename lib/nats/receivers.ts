/**
 * The receiving end of a rendezvous channel in one process. Receivers *pull*: the process
 * subscribes to the channel's subject (in the queue group `tasklets`, so each offer goes
 * to one process) only while a local receive is parked, and for `linger` ms after, and
 * announces on `_tasklets.<subject>.ready` when it starts listening, which wakes parked
 * senders everywhere. An offer (a sender's request) is taken by the first parked local
 * receive: the reply `ok` is the sender's acknowledgement. An offer that finds no parked
 * receive here is held, unanswered, for at most `linger` ms, then declined (`no`): the
 * sender offers again, and nothing was taken.
 *
 * Why an aborted receive never swallows a value: taking happens in one synchronous step
 * (the offer's callback hands the value to a parked receive and answers `ok`); an abort
 * removes the receive from the parked list in one step too. A receive is either still
 * parked — then it has taken nothing — or it took a value, and then its abort came too late
 * and it resolves with the value. An offer that arrives with no receive parked is held or
 * declined, never dropped, so its sender always hears `ok`, `no`, or (this process gone)
 * nothing until its timeout, which it reports as "may have been delivered".
 */
import type { Msg, NatsConnection, Subscription } from 'nats';
import type { NatsChannelError } from './errors';
import { endAll, failAll, type Parked } from './parked';
import { codeOf } from './link';
import { control, decode, word } from './wire';

/** A sender's offer held here, unanswered, until a receive takes it or `linger` passes. */
interface Held {
  msg: Msg;
  at: number;
}

const OK = word('ok');
const NO = word('no');

/** The receivers of one channel in this process. */
export class Receivers {
  readonly #nc: NatsConnection;
  readonly #subject: string;
  readonly #linger: number;
  readonly #timeout: number;
  readonly #describe: () => string;
  readonly #parked: Parked[] = [];
  #held: Held[] = [];
  #sub: Subscription | null = null;
  #idle: ReturnType<typeof setTimeout> | undefined;
  #sweep: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  #probing = false;
  readonly #answers: Msg[] = [];
  /** When a receive last left the parked list. */
  #lastActive = 0;

  constructor(nc: NatsConnection, subject: string, linger: number, timeout: number, describe: () => string) {
    this.#nc = nc;
    this.#subject = subject;
    this.#linger = linger;
    this.#timeout = timeout;
    this.#describe = describe;
  }

  /** How many local receives are parked. */
  get parked(): number {
    return this.#parked.length;
  }

  /** Receives one value: a held offer at once, else parks until one comes (or end-of-channel, or `fail`). */
  receive(signal: AbortSignal | undefined, iterate: boolean): Promise<unknown> {
    const held = this.#held.shift();
    if (held !== undefined) return new Promise((resolve, reject) => this.#take(held.msg, iterate, true, resolve, reject));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#parked.indexOf(p);
        if (i === -1) return; // it took a value first: it resolves with it
        this.#parked.splice(i, 1);
        reject(signal!.reason);
        this.#maybeIdle();
      };
      const p: Parked = { resolve, reject, iterate, cleanUp: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#parked.push(p);
      this.#listen();
      if (this.#closed) this.#probe();
    });
  }

  /** The channel was closed (here or elsewhere): parked receives end once no sender anywhere has a value pending. */
  closed(): void {
    this.#closed = true;
    if (this.#parked.length !== 0) this.#probe();
  }

  /** Fails every parked receive (the connection is gone or the server unreachable); held offers are dropped unanswered. */
  fail(error: NatsChannelError): void {
    this.#held = [];
    failAll(this.#parked, error);
    this.#maybeIdle();
  }

  /** The connection dropped: held offers' senders have given up on them (they report "may have been delivered"), so they are let go. */
  down(): void {
    this.#held = [];
  }

  #listen(): void {
    if (this.#sub !== null) return;
    const sub = this.#nc.subscribe(this.#subject, { queue: 'tasklets', callback: (_e, msg) => this.#offer(msg, sub) });
    this.#sub = sub;
    // After the SUB on the same connection: a sender whose offer found no one before it hears this.
    this.#nc.publish(control(this.#subject, 'ready'));
  }

  #offer(msg: Msg, sub: Subscription): void {
    if (msg.reply === undefined || msg.reply === '') return; // not an offer: a plain publish has no one to acknowledge
    if (sub !== this.#sub) {
      msg.respond(NO); // arrived while this process stops listening
      return;
    }
    const p = this.#parked.shift();
    if (p === undefined) {
      this.#held.push({ msg, at: Date.now() });
      if (this.#sweep === undefined) this.#sweep = setTimeout(() => this.#sweepHeld(), this.#linger);
      return;
    }
    p.cleanUp();
    this.#take(msg, p.iterate, false, p.resolve, p.reject);
    this.#maybeIdle();
  }

  /** Takes an offer: answers `ok` (the sender's send resolves), then hands its value (or its error) to the receive. */
  #take(msg: Msg, iterate: boolean, held: boolean, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    if (held) this.#answer(msg);
    else msg.respond(OK);
    let envelope;
    try {
      envelope = decode(msg.data);
    } catch (e) {
      reject(new TypeError(`receive() on ${this.#describe()}: a message that is not a channel value arrived (${e instanceof Error ? e.message : String(e)})`));
      return;
    }
    if (envelope.thrown) reject(envelope.value);
    else resolve(iterate ? { value: envelope.value, done: false } : envelope.value);
  }

  /**
   * Answers `ok` to a taken offer that was held. The answers of one turn of the event loop
   * go out together: the client writes to the socket after each turn of microtasks, and a
   * `for await` receiver takes held offers one per turn, so answering each at once would
   * cost one write (and one read at the server) per value. (An offer that finds a receive
   * parked is answered at once, in the callback, with the others of its read.)
   */
  #answer(msg: Msg): void {
    if (this.#answers.push(msg) === 1)
      setImmediate(() => {
        for (const m of this.#answers.splice(0)) m.respond(OK);
      });
  }

  #sweepHeld(): void {
    this.#sweep = undefined;
    const now = Date.now();
    while (this.#held.length !== 0 && now - this.#held[0].at >= this.#linger) this.#held.shift()!.msg.respond(NO);
    if (this.#held.length !== 0) this.#sweep = setTimeout(() => this.#sweepHeld(), this.#linger);
    else this.#maybeIdle();
  }

  /** With no receive parked, stops listening `linger` ms after the last one left: declines what it holds and leaves the queue group. */
  #maybeIdle(): void {
    this.#lastActive = Date.now();
    if (this.#parked.length !== 0 || this.#sub === null || this.#idle !== undefined) return;
    const check = (): void => {
      this.#idle = undefined;
      if (this.#parked.length !== 0 || this.#sub === null) return;
      const left = this.#lastActive + this.#linger - Date.now();
      if (left > 0) {
        this.#idle = setTimeout(check, left);
        return;
      }
      const sub = this.#sub;
      this.#sub = null;
      for (const h of this.#held.splice(0)) h.msg.respond(NO);
      // drain: offers already routed here still reach the callback, which declines them
      void sub.drain().catch(() => undefined);
    };
    this.#idle = setTimeout(check, this.#linger);
  }

  /**
   * After a close: asks whether any process still has a send pending (`_tasklets.<subject>.pending`).
   * No one answers: the channel is drained, parked receives see end-of-channel. Someone
   * does: wake parked senders and ask again after `linger` ms.
   */
  #probe(): void {
    if (this.#probing) return;
    this.#probing = true;
    this.#nc.request(control(this.#subject, 'pending'), undefined, { timeout: this.#timeout }).then(
      () => {
        this.#nc.publish(control(this.#subject, 'ready'));
        setTimeout(() => {
          this.#probing = false;
          if (this.#parked.length !== 0) this.#probe();
        }, this.#linger);
      },
      (e: unknown) => {
        this.#probing = false;
        if (codeOf(e) !== '503') {
          if (this.#parked.length !== 0) setTimeout(() => this.#probe(), this.#linger);
          return;
        }
        endAll(this.#parked, this.#describe());
        this.#maybeIdle();
      },
    );
  }
}
