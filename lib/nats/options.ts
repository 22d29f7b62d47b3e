/** The options of a channel across processes, checked, with their defaults. */
import { show } from '../base/validate';

/** Options of {@link natsChannel}. */
export interface NatsChannelOptions {
  /** The channel's name in messages and `toString()`; the subject by default. */
  name?: string | undefined;
  /**
   * How long a send waits for the answer once its value has left (ms, default 5000). A
   * send that sees no answer in time rejects with `NatsChannelError`, `reason: 'timeout'`,
   * `maybeDelivered: true`. It does not limit how long a send stays parked waiting for a
   * receiver: that is what a `signal` is for.
   */
  requestTimeout?: number | undefined;
  /**
   * How long parked operations wait for a lost connection to come back (ms, default
   * 10000) before they reject with `NatsChannelError`, `reason: 'unavailable'`.
   */
  unavailableTimeout?: number | undefined;
  /**
   * How long a process keeps listening after its last parked receive (ms, default 20),
   * and at most how long it holds an offer that no local receive takes before declining it.
   */
  linger?: number | undefined;
  /**
   * A buffer of this many values (default 0: rendezvous). A positive capacity needs
   * `durable`: the buffer is a JetStream stream.
   */
  capacity?: number | undefined;
  /**
   * A durable buffered channel: the values live in a JetStream work-queue stream bounded
   * to `capacity`, named after the subject (or this string).
   */
  durable?: boolean | string | undefined;
  /**
   * A durable channel's redelivery delay (ms, default 5000): a value fetched by a process
   * that neither took nor let go of it (the process died, or the server restarted and lost
   * the pull request it was on its way to) goes to another fetch after this long. A process
   * acknowledges or lets go of what it fetched within about a second, unless its event loop
   * is blocked longer than this.
   */
  ackWait?: number | undefined;
}

/** Options of one operation. */
export interface NatsOperationOptions {
  /**
   * Aborts the operation while it is parked. Once a send's value has left, the abort
   * waits for the answer: if a receiver took it, the send resolves.
   */
  signal?: AbortSignal | undefined;
}

/** Checked options with defaults. */
export interface Settings {
  name: string | undefined;
  requestTimeout: number;
  unavailableTimeout: number;
  linger: number;
  capacity: number;
  durable: string | undefined;
  ackWait: number;
}

function ms(where: string, key: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${where}: options.${key} must be a non-negative number of milliseconds, received ${show(v)}`);
  return v;
}

/** Checks `options` for `where`, filling in defaults. */
export function settings(where: string, options: NatsChannelOptions | undefined): Settings {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new TypeError(`${where}: options must be an object, received ${show(options)}`);
  const o = options ?? {};
  if (o.name !== undefined && typeof o.name !== 'string') throw new TypeError(`${where}: options.name must be a string, received ${show(o.name)}`);
  const capacity = o.capacity ?? 0;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 0)
    throw new TypeError(`${where}: options.capacity must be a non-negative integer, received ${show(capacity)}`);
  if (o.durable !== undefined && typeof o.durable !== 'boolean' && (typeof o.durable !== 'string' || !/^[A-Za-z0-9_-]+$/.test(o.durable)))
    throw new TypeError(`${where}: options.durable must be a boolean or a stream name (letters, digits, _ and -), received ${show(o.durable)}`);
  if (capacity > 0 && (o.durable === undefined || o.durable === false))
    throw new TypeError(`${where}: options.capacity ${capacity} needs options.durable: a buffered channel across processes is a JetStream stream`);
  if (capacity === 0 && o.durable !== undefined && o.durable !== false)
    throw new TypeError(`${where}: options.durable needs a positive options.capacity, received ${show(o.capacity)}`);
  return {
    name: o.name,
    requestTimeout: ms(where, 'requestTimeout', o.requestTimeout, 5000),
    unavailableTimeout: ms(where, 'unavailableTimeout', o.unavailableTimeout, 10000),
    linger: ms(where, 'linger', o.linger, 20),
    ackWait: ms(where, 'ackWait', o.ackWait, 5000),
    capacity,
    durable: o.durable === true ? '' : o.durable === false ? undefined : o.durable,
  };
}

/** Checks an operation's `signal`. */
export function checkSignal(where: string, options: NatsOperationOptions | undefined): AbortSignal | undefined {
  const signal = options?.signal;
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean'))
    throw new TypeError(`${where}: options.signal must be an AbortSignal, received ${show(signal)}`);
  return signal;
}
