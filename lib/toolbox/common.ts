/**
 * What the combinators share: their options, checked the library's way, and the
 * three rules every one of them keeps —
 *
 *  1. Close: when its inputs are closed and drained, it closes its outputs (after the
 *     values in flight are delivered). Closing an output from the receiving side
 *     stops the combinator too.
 *  2. Errors: an error from an input (a `sendThrow`) or from user code is forwarded to
 *     the outputs with `sendThrow`, in order, and then the outputs are closed: an error
 *     ends the stream.
 *  3. Abort: when `signal` aborts, it stops at once and closes its outputs. Values still
 *     in its inputs stay there; a value it had already taken and not yet handed on is
 *     offered to the output with `trySend` and otherwise dropped.
 *
 * Each combinator runs as one or more tasklets named after it, so a stuck one shows up
 * in a `DeadlockError` like any other tasklet.
 *
 * @internal
 */
import { Channel } from '../channel/channel';
import { ChannelClosedError } from '../base/errors';
import { checkCapacity, checkName, checkOptions, checkSignal, show } from '../base/validate';

/**
 * Options every combinator takes.
 *
 * @example
 * ```ts
 * const out = merge([a, b], { capacity: 16, name: 'events', signal: controller.signal });
 * ```
 */
export interface ToolboxOptions {
  /** Stops the combinator and closes its outputs. */
  signal?: AbortSignal | undefined;
  /** Capacity of the output channel(s) (default `0`: rendezvous). */
  capacity?: number | undefined;
  /** Names the output channel and the combinator's tasklets. */
  name?: string | undefined;
}

/** What `checkToolboxOptions` returns: the three common options, checked. */
interface Checked {
  signal: AbortSignal | undefined;
  capacity: number;
  name: string | undefined;
}

export function checkToolboxOptions(where: string, options: unknown, extra: readonly string[] = []): Checked & Record<string, unknown> {
  const o = checkOptions(where, options, ['signal', 'capacity', 'name', ...extra]) ?? {};
  const signal = checkSignal(where, o.signal);
  const capacity = checkCapacity(where, o.capacity ?? 0);
  return { ...o, signal, capacity, name: checkName(where, o.name) };
}

export function checkChannel(where: string, what: string, ch: unknown): Channel<any> {
  if (!(ch instanceof Channel)) throw new TypeError(`${where}: ${what} must be a Channel, received ${show(ch)}`);
  return ch;
}

export function checkFunction(where: string, what: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`${where}: ${what} must be a function, received ${show(fn)}`);
}

/** The error was the abort of `signal` (the combinator stops quietly), or an output was closed. */
export function isStop(e: unknown, signal: AbortSignal | undefined): boolean {
  return (signal !== undefined && signal.aborted && e === signal.reason) || e instanceof ChannelClosedError;
}

/** Forwards `error` to `out` (rule 2), unless stopped meanwhile. */
export async function forward(out: Channel<any>, error: unknown, signal: AbortSignal | undefined): Promise<void> {
  if (out.closing || (signal !== undefined && signal.aborted)) return;
  try {
    await out.sendThrow(error, { signal });
  } catch {
    // aborted or closed meanwhile: the stream is over anyway
  }
}

/** An AbortController that also aborts when `parent` does; `dispose()` unlinks it. */
export function linked(parent: AbortSignal | undefined): { signal: AbortSignal; abort(reason?: unknown): void; dispose(): void } {
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(parent!.reason);
  if (parent !== undefined) {
    if (parent.aborted) ac.abort(parent.reason);
    else parent.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: ac.signal,
    abort: (reason?: unknown) => ac.abort(reason),
    dispose: () => parent?.removeEventListener('abort', onAbort),
  };
}
