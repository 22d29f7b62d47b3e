/**
 * Waiting outside the library, and coming back.
 *
 * A tasklet whose slice ends on an await of something the library does not own (a
 * timer, I/O, a foreign promise) is *outside*: the drain check (or, where the host has
 * none, the pulse) sees it (loop.ts) and calls `goOutside`. It comes back in a callback
 * that is not the loop's; its library calls find no party in flight, and `adopt()`
 * recognises it by the `tasklet#<id>` frame in the async stack trace (`nameFrame`).
 *
 * It stays outside — and each of its calls is recognised anew — until it parks or
 * yields in the loop (`waiterFor` in loop.ts) or ends. It is never made the party in
 * flight: other code may run between its calls (a second tasklet resumed by the same
 * promise, a plain callback), and only the stack tells whose code calls.
 */
import type { Tasklet } from './tasklet';

/** The name of the frame the loop gives a tasklet once it waits outside, as seen in async stack traces. */
const FRAME = 'tasklet#';
/** Finds the frame's tasklet id in a stack trace. */
const FRAME_ID = new RegExp(`${FRAME}(\\d+)`);
/** Stands in `t._end` once a named frame awaits it: one frame per tasklet. */
const NAMED: Promise<unknown> = Promise.resolve();

/**
 * Makes the frame `tasklet#<id>` show in the async stack traces of `t`'s code, once:
 * an async function of that name awaits the promise derived from the reaction that
 * watches `t`'s function (lib/core/tasklet.ts, `begin`). V8 follows the chain from the
 * running code through that reaction to the awaiting frame, as long as each promise on
 * the way has exactly one reaction — hence one frame per tasklet, made only for
 * tasklets that wait outside. It resolves when the tasklet ends (the reaction never
 * throws), and is left to finish on its own.
 */
function nameFrame(t: Tasklet): void {
  const end = t._end as Promise<unknown> | null; // a started tasklet's: see Tasklet._end
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

/**
 * How many tasklets wait outside: this file's own state, which the loop reads (a
 * non-zero count makes it look for a caller come back; see `callerTasklet`).
 */
export const away = { count: 0 };

/** The pulse found `t`'s slice ended on a foreign await: `t` waits outside. */
export function goOutside(t: Tasklet): void {
  t._outside = true;
  away.count++;
  outsideById.set(t.id, t);
  nameFrame(t);
}

/** Called when a tasklet comes back from outside through a library operation or ends. */
export function leftOutside(t: Tasklet): void {
  if (t._outside) {
    t._outside = false;
    away.count--;
    outsideById.delete(t.id);
  }
}

/**
 * A library operation was called with no party in flight while some tasklet waits on
 * something outside the library (its slice ended on a foreign await, see `drained()`).
 * The caller is plain code or such a tasklet come back; the async stack trace tells
 * which, by the `tasklet#<id>` frame `nameFrame` gave it. Returns that tasklet, or
 * `undefined` for plain code — also where the trace is cut short (a promise on the way
 * has a second reaction): the failure is always "plain code", never another tasklet.
 * Costs a stack capture, only in this case.
 */
export function adopt(): Tasklet | undefined {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = Infinity;
  const stack = new Error().stack;
  E.stackTraceLimit = limit;
  const match = stack === undefined ? null : FRAME_ID.exec(stack);
  return match === null ? undefined : outsideById.get(Number(match[1]));
}
