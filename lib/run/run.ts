/**
 * The run loop's public face: `run()`, `schedule()`, `getCurrent()`, `getRunCount()`.
 * The loop itself, and its invariants, are in loop.ts.
 */
import { callerTasklet, owedThrow, quiet, RESOLVED, S, waitForQuiet, yieldWith } from '../core/loop';
import { deadlockError } from './report';
import type { Tasklet } from '../core/tasklet';
import { Op } from '../core/waiter';

/**
 * Runs the tasklets until none is alive.
 *
 * Resolves when every tasklet has finished (paused ones do not count); rejects at once
 * with an error that escaped a tasklet nobody joined; rejects with `DeadlockError` when
 * nothing is runnable, no tasklet awaits anything outside the library, and tasklets are
 * still parked on channels — they stay parked and `run()` can be called again. Calling
 * it is optional: the loop starts by itself whenever work is runnable.
 *
 * @example
 * ```ts
 * const ch = new Channel<string>();
 * tasklet(async () => console.log(await ch.receive()))(); // hello
 * tasklet(async () => ch.send('hello'))();
 * await run(); // both have finished
 * ```
 */
export function run(): Promise<void> {
  const t = callerTasklet();
  if (t !== undefined) {
    throw new TypeError(`run(): called from inside ${t}; run() is for plain code — a tasklet can join() another`);
  }
  if (quiet()) return RESOLVED;
  return waitForQuiet(deadlockError);
}

/**
 * `await schedule()`: the caller goes to the tail of the run queue and every party
 * already runnable runs first. In plain code it lets the runnable tasklets run.
 *
 * @example
 * ```ts
 * const order: string[] = [];
 * for (const name of ['a', 'b', 'c']) {
 *   tasklet(async () => { for (let i = 0; i < 2; i++) { order.push(name); await schedule(); } })();
 * }
 * await run();
 * console.log(order.join(' ')); // a b c a b c
 * ```
 */
export function schedule(): Promise<void> {
  const owed = owedThrow();
  if (owed !== null) return owed;
  return yieldWith(Op.Schedule, false, undefined);
}

/**
 * The tasklet whose code is running, or `undefined` in plain code.
 *
 * @example
 * ```ts
 * const t: Tasklet<boolean> = tasklet(async () => getCurrent() === t)();
 * console.log(await t.join()); // true
 * ```
 */
export function getCurrent(): Tasklet | undefined {
  return callerTasklet();
}

/**
 * How many tasklets are runnable now: the running one and those on the run queue (a
 * new tasklet counts until it starts).
 *
 * @example
 * ```ts
 * tasklet(async () => {})();
 * tasklet(async () => {})();
 * console.log(getRunCount()); // 2
 * ```
 */
export function getRunCount(): number {
  return S.runnableTasklets + (S.current !== undefined ? 1 : 0);
}
