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
  readonly name: string;
  /** Parked senders minus parked receivers. */
  readonly balance: number;
  /** Values in the buffer now. */
  readonly length: number;
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
  readonly send: (value: T, options?: OperationOptions) => Promise<void>;
  readonly trySend: (value: T) => boolean;
  readonly sendSequence: (items: Iterable<T> | AsyncIterable<T>, options?: OperationOptions) => Promise<number>;
  /**
   * A send case for `select`. Typed `SendCase<unknown>` (a send's result carries no
   * value) so the view stays contravariant: `SendCase<T>` exposes its channel.
   */
  readonly sendCase: (value: T) => SendCase<unknown>;
  sendThrow(error: unknown, options?: OperationOptions): Promise<void>;
  sendException<A extends unknown[]>(ErrorClass: new (...args: A) => unknown, ...args: A): Promise<void>;
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
  receive(options?: OperationOptions): Promise<T>;
  tryReceive(): TryReceiveResult<T>;
  /** A receive case for `select`. */
  receiveCase(): ReceiveCase<T>;
}
