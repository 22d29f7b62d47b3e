/**
 * Directional views of a channel: `SendChannel<T>` is the end that sends (and closes),
 * `ReceiveChannel<T>` the end that receives. A `Channel<T>` is both; an API hands out
 * one end by typing a parameter or a return value with the view, as Go's `chan<- T`
 * and `<-chan T` do. They are types only — nothing at runtime stops a cast back.
 *
 * Following Go, closing belongs to the sending end: the receiver learns of the end
 * through end-of-channel, and `open()` stays with the owner of the whole `Channel`.
 */
import type { ReceiveCase, SendCase } from './case';
import type { OperationOptions, TryReceiveResult } from './channel';

/** What both ends can see. */
interface ChannelState {
  /** The channel's name, as errors and deadlock reports show it. */
  readonly name: string;
  /** Parked senders minus parked receivers: > 0 senders wait, < 0 receivers wait. */
  readonly balance: number;
  /** Values in the buffer now. */
  readonly length: number;
  /** How many values the buffer holds: `0` (rendezvous), a positive integer, or `Infinity`. */
  readonly capacity: number;
  /** `close()` was called. */
  readonly closing: boolean;
  /** `close()` was called and nothing is left to receive. */
  readonly closed: boolean;
}

/**
 * The sending end of a channel.
 *
 * @example
 * ```ts
 * function produce(out: SendChannel<number>) {
 *   return tasklet(async () => { await out.sendSequence([1, 2, 3]); out.close(); })();
 * }
 * const ch = new Channel<number>();
 * produce(ch);
 * for await (const n of ch) console.log(n); // 1 2 3
 * ```
 */
export interface SendChannel<T> extends ChannelState {
  // Members that take a T are properties, not methods: TypeScript checks method
  // parameters bivariantly, which would let a SendChannel<number> pass for a
  // SendChannel<string>. As properties, SendChannel<T> is contravariant in T.
  /**
   * Sends `value`: resolves once a receiver took it (capacity 0) or the buffer stored it;
   * parks until then. Rejects with `ChannelClosedError` (carrying the value) on a closing
   * channel, and with `signal.reason` when aborted while parked, the channel left as if
   * the send had never been tried.
   */
  readonly send: (value: T, options?: OperationOptions) => Promise<void>;
  /**
   * Sends without parking: `true` if a parked receiver took `value` or the buffer stored
   * it (on a dropping channel, always), `false` otherwise. Throws `ChannelClosedError` on
   * a closing channel.
   */
  readonly trySend: (value: T) => boolean;
  /**
   * Sends each item of a sync or async iterable in turn, each a `send`; resolves with the
   * count. Rejects as `send` does, and with the iterable's own error.
   */
  readonly sendSequence: (items: Iterable<T> | AsyncIterable<T>, options?: OperationOptions) => Promise<number>;
  /**
   * A send case for `select`. Typed `SendCase<unknown>` (a send's result carries no
   * value) so the view stays contravariant: `SendCase<T>` exposes its channel.
   */
  readonly sendCase: (value: T) => SendCase<unknown>;
  /**
   * A send whose receiver's `receive()` rejects with `error` (Stackless `send_throw`); it
   * parks and fails like `send`.
   */
  sendThrow(error: unknown, options?: OperationOptions): Promise<void>;
  /** `sendThrow(new ErrorClass(...args))`. */
  sendException<A extends unknown[]>(ErrorClass: new (...args: A) => unknown, ...args: A): Promise<void>;
  /**
   * Closes the channel; idempotent. No new value is accepted; what was sent before is
   * still received, then receivers get end-of-channel.
   */
  close(): void;
}

/**
 * The receiving end of a channel.
 *
 * @example
 * ```ts
 * function consume(input: ReceiveChannel<string>) {
 *   return tasklet(async () => { for await (const line of input) console.log(line); })();
 * }
 * const ch = new Channel<string>();
 * consume(ch);
 * await ch.send('hello');
 * ```
 */
export interface ReceiveChannel<T> extends ChannelState, AsyncIterable<T> {
  /**
   * Resolves with the next value; parks while there is none. Rejects with
   * `ChannelClosedError` once the channel is closed and drained, with the error of a
   * `sendThrow`, and with `signal.reason` when aborted while parked (nothing taken).
   */
  receive(options?: OperationOptions): Promise<T>;
  /**
   * Receives without parking: `{ ok: true, value }`, or `{ ok: false, closed }` —
   * `closed: true` once the channel is closed and drained. Throws the error of a `sendThrow`.
   */
  tryReceive(): TryReceiveResult<T>;
  /** A receive case for `select`. */
  receiveCase(): ReceiveCase<T>;
}
