/**
 * The error `run()` rejects with when the loop is stuck: `DeadlockError`, which carries
 * the report lib/run/report.ts builds.
 */
import type { Tasklet } from '../core/tasklet';
import type { DeadlockReport } from './types';

/** Node's `util.inspect` looks for a custom rendering under this registered symbol (no Node import needed). */
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom');

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
