/**
 * Waiting outside the library, and coming back.
 *
 * A tasklet whose slice ends on an await of something the library does not own (a
 * timer, I/O, a foreign promise) is *outside*: the pulse sees it (loop.ts) and calls
 * `goOutside`. It comes back in a callback that is not the loop's; its first library
 * operation finds no party in flight, and `adopt()` recognises it by the `tasklet#<id>`
 * frame in the async stack trace (`nameFrame`), making it the party in flight again.
 */
import { armPulse, S } from './loop';
import type { Tasklet } from './tasklet';

/** The name of the frame the loop gives a tasklet once it waits outside, as seen in async stack traces. */
export const FRAME = 'tasklet#';
/** Stands in `t._end` once a named frame awaits it: one frame per tasklet. */
const NAMED: Promise<unknown> = Promise.resolve();

/**
 * Makes the frame `tasklet#<id>` show in the async stack traces of `t`'s code, once:
 * an async function of that name awaits the promise derived from the reaction that
 * watches `t`'s function (lib/tasklet.ts, `begin`). V8 follows the chain from the
 * running code through that reaction to the awaiting frame, as long as each promise on
 * the way has exactly one reaction — hence one frame per tasklet, made only for
 * tasklets that wait outside. It resolves when the tasklet ends (the reaction never
 * throws), and is left to finish on its own.
 */
function nameFrame(t: Tasklet): void {
  const end = t._end;
  if (end === null || end === NAMED) return;
  t._end = NAMED;
  const frame = async (p: Promise<unknown>): Promise<void> => {
    await p;
  };
  Object.defineProperty(frame, 'name', { value: FRAME + t.id });
  void frame(end);
}

/** Tasklets waiting outside, by id, for `adopt()`. */
const outsideById = new Map<number, Tasklet>();

/** The pulse found `t`'s slice ended on a foreign await: `t` waits outside. */
export function goOutside(t: Tasklet): void {
  t._outside = true;
  S.outside++;
  outsideById.set(t.id, t);
  nameFrame(t);
}

/** Called when a tasklet comes back from outside through a library operation or ends. */
export function leftOutside(t: Tasklet): void {
  if (t._outside) {
    t._outside = false;
    S.outside--;
    outsideById.delete(t.id);
  }
}

/**
 * A library operation was called with no party in flight while some tasklet waits on
 * something outside the library (its slice ended on a foreign await, see `pulse()`).
 * The caller is plain code or such a tasklet come back; the async stack trace tells
 * which, by the `tasklet#<id>` frame `nameFrame` gave it. A tasklet found there is in flight
 * again, exactly as if the loop had resumed it. Costs a stack capture, only in this
 * case.
 */
export function adopt(): void {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = Infinity;
  const stack = new Error().stack;
  E.stackTraceLimit = limit;
  const match = stack === undefined ? null : /tasklet#(\d+)/.exec(stack);
  if (match === null) return;
  const t = outsideById.get(Number(match[1]));
  if (t === undefined) return;
  leftOutside(t);
  S.busy = true;
  S.current = t;
  if (!S.pulsePending) armPulse();
}
