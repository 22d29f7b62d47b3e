/**
 * The error of `tasklets/nats`: an operation on a channel across processes could not be
 * completed, and the error says what became of the value. Node-only, like lib/nats/.
 */

/** Why a NATS channel operation failed. */
export type NatsFailure =
  /** The reply did not come within `requestTimeout`: the receiver may have taken the value and crashed, or the reply was lost. */
  | 'timeout'
  /** The connection dropped while the value was on its way or its answer was. */
  | 'disconnected'
  /** The server could not be reached for `unavailableTimeout` while the operation was parked. */
  | 'unavailable'
  /** The connection was closed (by the program, or for good after failed reconnects). */
  | 'closed'
  /** The server refused a durable channel's operation (stream missing, limits, permissions). */
  | 'refused';

/**
 * A channel operation across processes failed for a reason outside the program: a reply
 * that did not come, a connection that dropped or closed, a server that stayed away. A
 * send that fails this way carries its value in `.value`, and `.maybeDelivered` says
 * whether a receiver may have taken it anyway (`true` once the value has left this
 * process and its acknowledgement did not come back). Nothing is retried behind the
 * program's back: what to do with a value that may have been delivered is its choice.
 *
 * @example
 * ```ts
 * import { NatsChannelError } from 'tasklets/nats';
 * const failed = new NatsChannelError('send() on NatsChannel "jobs": no reply within 5000 ms', 'timeout', { id: 7 }, true);
 * if (failed instanceof NatsChannelError && !failed.maybeDelivered) console.log('safe to send again:', failed.value);
 * ```
 */
export class NatsChannelError extends Error {
  /** `'NatsChannelError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'NatsChannelError';
  /** What went wrong: see {@link NatsFailure}. */
  readonly reason: NatsFailure;
  /** The value a failed send carried; `undefined` for any other operation. */
  readonly value: unknown;
  /** Whether a receiver may have taken the value (a send only); `false` means it certainly did not. */
  readonly maybeDelivered: boolean;

  constructor(message: string, reason: NatsFailure, value?: unknown, maybeDelivered = false) {
    super(message);
    this.reason = reason;
    this.value = value;
    this.maybeDelivered = maybeDelivered;
  }
}
