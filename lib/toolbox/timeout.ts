/**
 * A time limit for any operation that takes an `AbortSignal`.
 */
import { TimeoutError } from '../base/errors';
import { Alarm } from '../time/timers';
import { checkOptions, checkSignal, show } from '../base/validate';
import { checkFunction, linked } from './common';

/**
 * Runs `operation(signal)` and aborts its signal with a `TimeoutError` if it has not
 * settled after `ms`; also aborts it when `options.signal` does. The result is never
 * abandoned: `withTimeout` settles with whatever `operation` settles with, so with the
 * library's operations (which leave no trace when aborted) a value is either returned or
 * was never taken. However it ends, it leaves no listener on `options.signal` and no timer. An operation that ignores its signal simply runs to its end. While
 * the limit runs, a tasklet waiting here waits on a timer, not in a deadlock.
 *
 * @example
 * ```ts
 * const replies = new Channel<string>({ name: 'replies' });
 * const reply = withTimeout(50, (signal) => replies.receive({ signal }));
 * await reply.catch((e) => console.log(e.name, replies.balance)); // TimeoutError 0 — replies is left as if never tried
 * ```
 */
export async function withTimeout<T>(ms: number, operation: (signal: AbortSignal) => T | Promise<T>, options?: { signal?: AbortSignal }): Promise<T> {
  if (typeof ms !== 'number') throw new TypeError(`withTimeout(): ms must be a number of milliseconds, received ${show(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`withTimeout(): ms must be a non-negative number of milliseconds, received ${show(ms)}`);
  checkFunction('withTimeout()', 'operation', operation);
  const parent = checkSignal('withTimeout()', checkOptions('withTimeout()', options, ['signal'])?.signal);
  const stop = linked(parent);
  const alarm = ms === Infinity ? null : new Alarm(ms, () => stop.abort(new TimeoutError(`withTimeout(): timed out after ${ms} ms`, ms)));
  try {
    return await operation(stop.signal);
  } finally {
    alarm?.cancel();
    stop.dispose();
  }
}
