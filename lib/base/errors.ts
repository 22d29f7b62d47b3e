/**
 * The library's small vocabulary of errors. Every one is an `Error`; bad arguments
 * are plain `TypeError`s and `RangeError`s whose message names the argument and the
 * value received.
 */

/**
 * A send on a channel that no longer accepts values, or a receive on a channel that
 * is closed and drained (end-of-channel). When a send failed, `.value` holds the
 * value that was not sent, so nothing is lost.
 *
 * @example
 * ```ts
 * const ch = new Channel<number>({ name: 'jobs' });
 * ch.close();
 * try { await ch.send(7); } catch (e) {
 *   if (e instanceof ChannelClosedError) console.log(e.value); // 7
 * }
 * ```
 */
export class ChannelClosedError extends Error {
  /** `'ChannelClosedError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'ChannelClosedError';
  /** The value a failed send carried; `undefined` for end-of-channel on receive. */
  readonly value: unknown;
  /** Whether `.value` is set: true when a send failed. */
  readonly hasValue: boolean;

  constructor(message: string, ...value: [] | [unknown]) {
    super(message);
    this.hasValue = value.length > 0;
    this.value = value[0];
  }
}

/**
 * Thrown into a tasklet by `kill()`. Its `finally` blocks run; if it escapes the
 * tasklet's function the tasklet ends quietly and `join()` resolves `undefined`.
 *
 * @example
 * ```ts
 * const t = tasklet(async () => {
 *   try { await new Channel().receive(); } finally { console.log('unwound'); } // unwound
 * })();
 * await schedule();
 * await t.kill(); // resolves once its finally block has run
 * ```
 */
export class TaskletExit extends Error {
  /** `'TaskletExit'`: what stack traces and `util.inspect` print before the message. */
  override name = 'TaskletExit';

  constructor(message = 'tasklet killed') {
    super(message);
  }
}

/**
 * An operation given to `withTimeout` did not complete in time. It is the reason the
 * operation's signal was aborted with, so a library operation it awaited left no trace.
 *
 * @example
 * ```ts
 * const replies = new Channel<string>({ name: 'replies' });
 * try {
 *   await withTimeout(100, (signal) => replies.receive({ signal }));
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log(e.message); // "withTimeout(): timed out after 100 ms"
 * }
 * ```
 */
export class TimeoutError extends Error {
  /** `'TimeoutError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'TimeoutError';
  /** The time limit that passed, in milliseconds. */
  readonly ms: number;

  constructor(message: string, ms: number) {
    super(message);
    this.ms = ms;
  }
}
