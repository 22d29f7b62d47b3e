/**
 * The library's small vocabulary of errors. Every one is an `Error`; bad arguments
 * are plain `TypeError`s and `RangeError`s whose message names the argument and the
 * value received.
 */
import type { DeadlockReport } from '../run/report';
import type { Tasklet } from '../core/tasklet';

/** Node's `util.inspect` looks for a custom rendering under this registered symbol (no Node import needed). */
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

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
 * `run()` found tasklets parked on channels with nothing runnable and nothing awaited
 * outside the library: none of them can ever be woken by the program as it stands.
 * `.tasklets` lists them; the message names each one and what it waits on. The
 * tasklets stay parked: they can still be fed or killed.
 *
 * @example
 * ```ts
 * const ch = new Channel({ name: 'never' });
 * tasklet(async () => ch.receive(), { name: 'waiter' })();
 * await run().catch((e: DeadlockError) => console.log(e.message));
 * // deadlock: 1 tasklet parked and nothing runnable
 * //   tasklet "waiter" (#1) receives on channel "never" (balance -1)
 * ```
 */
export class DeadlockError extends Error {
  /** `'DeadlockError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'DeadlockError';
  /** The parked tasklets, in creation order. */
  declare readonly tasklets: readonly Tasklet[];
  /**
   * The same as data (JSON-able): every parked party and what it waits on, the
   * wait-for graph and its cycles. See `DeadlockReport`.
   */
  declare readonly report: DeadlockReport | undefined;

  constructor(message: string, tasklets: readonly Tasklet[], report?: DeadlockReport) {
    super(message);
    // Not enumerable: Node prints an uncaught error with its enumerable properties (and
    // without custom renderings), which for these two ran to thousands of lines. The
    // message already is the report as text.
    Object.defineProperties(this, {
      tasklets: { value: tasklets, writable: true, configurable: true },
      report: { value: report, writable: true, configurable: true },
    });
  }

  /**
   * How `util.inspect` shows the error under Node — and so how Node prints it when it
   * goes uncaught: its name and message, which is the report (a line per parked party),
   * and nothing else. The stack's frames are left out, since they are always the run
   * loop's own (a deadlock is found by the loop, not at a line of the program; turn on
   * `setDebug({ stacks: true })` to have the report show where each party parked), and
   * so are `.tasklets` and `.report`, which stay there for code to read.
   *
   * @example
   * ```ts
   * const ch = new Channel({ name: 'never' });
   * tasklet(async () => ch.receive(), { name: 'waiter' })();
   * await run().catch((e) => console.log(e));
   * // DeadlockError: deadlock: 1 tasklet parked and nothing runnable
   * //   tasklet "waiter" (#1) receives on channel "never" (balance -1)
   * ```
   */
  [inspectCustom](depth?: number | null): string {
    const text = `${this.name}: ${this.message}`;
    // Nested deeper than `depth` allows: the first line only, the way Node abbreviates.
    return typeof depth === 'number' && depth < 0 ? `[${text.split('\n')[0]}]` : text;
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
