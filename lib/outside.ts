/**
 * Waiting outside the library, and coming back.
 *
 * A tasklet whose slice ends on an await of something the library does not own (a
 * timer, I/O, a foreign promise) is *outside*: the pulse sees it (loop.ts) and calls
 * `goOutside`. It comes back in a callback that is not the loop's; its first library
 * operation finds no party in flight, and `adopt()` recognises it by the `tasklet#<id>`
 * frame of its body in the async stack trace, making it the party in flight again.
 */
import { armPulse, S } from './loop';
import type { Tasklet } from './tasklet';

/** The name the loop gives a tasklet's body once it waits outside, as seen in async stack traces. */
export const FRAME = 'tasklet#';
/** Names the tasklet's body once, so that async stack traces show `tasklet#<id>`. */
function nameBody(t: Tasklet): void {
  const body = t._body;
  if (body !== null && !body.name.startsWith(FRAME)) Object.defineProperty(body, 'name', { value: FRAME + t.id });
}

/** Tasklets waiting outside, by id, for `adopt()`. */
const outsideById = new Map<number, Tasklet>();

/** The pulse found `t`'s slice ended on a foreign await: `t` waits outside. */
export function goOutside(t: Tasklet): void {
  t._outside = true;
  S.outside++;
  outsideById.set(t.id, t);
  nameBody(t);
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
 * which, by the `tasklet#<id>` frame of its body. A tasklet found there is in flight
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
