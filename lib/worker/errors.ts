/**
 * The error of `tasklets/worker`: the other end of a channel shared across threads is
 * gone. Node-only, like everything in lib/worker/.
 */

/**
 * The other end of a channel shared across threads is gone — its thread exited, crashed
 * or was terminated, or its port was closed — so the operation cannot complete. A send
 * that fails this way hands its value back in `.value`, so nothing is lost: it can be
 * sent elsewhere or kept for later.
 *
 * @example
 * ```ts
 * import { ChannelGoneError } from 'tasklets/worker';
 * const failed = new ChannelGoneError('send(): the thread at the other end of channel "jobs" exited', { id: 7 });
 * if (failed instanceof ChannelGoneError) console.log(failed.value); // { id: 7 } — the job that was not sent
 * ```
 */
export class ChannelGoneError extends Error {
  /** `'ChannelGoneError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'ChannelGoneError';
  /** The value a failed send carried; `undefined` for any other operation. */
  readonly value: unknown;

  constructor(message: string, value?: unknown) {
    super(message);
    this.value = value;
  }
}
