/**
 * `for await (const v of channel)`: each `next()` is a receive that reports end-of-channel as
 * `{ done: true }` (`channel._next()`); `return()` — a `break`, a `throw`, a `return` out of
 * the loop — leaves the channel as if a `next()` still parked had never been tried (the
 * method's doc in channel.ts says what users see).
 */
import { callerTasklet, unpark } from '../core/loop';
import type { Waiter } from '../core/waiter';
import type { Channel } from './channel';

/** @internal End-of-channel for `for await` and for a select's receive case. */
export const ITER_DONE: IteratorResult<never> = Object.freeze({ value: undefined, done: true }) as IteratorResult<never>;

/** @internal The body of `Channel.prototype[Symbol.asyncIterator]`. */
export function iterate<T>(channel: Channel<T>): AsyncIterableIterator<T> {
  let left = false;
  // The parked `next()`s that `return()` must take back. A tasklet parks at most once
  // at a time: its waiter, and the resolve of that `next()`'s promise (a tasklet reuses
  // its waiter, so the resolve tells whether it still waits for this very `next()`).
  // Plain code may park several (never reused): each is the tail of the receive queue
  // right after it parked, since parking from plain code runs nothing else at once.
  let parked: Waiter | null = null;
  let parkedFor: unknown = null;
  let plain: Waiter | null = null;
  let morePlain: Waiter[] | null = null; // several parked at once: rare

  const next = (): Promise<IteratorResult<T, undefined>> => {
    if (left) return Promise.resolve(ITER_DONE);
    const t = callerTasklet();
    if (t !== undefined) {
      const p = channel._next(undefined);
      const w = t._waiter;
      if (w !== null && w._queue !== null) {
        parked = w;
        parkedFor = w._resolve;
      }
      return p;
    }
    const before = channel._newest(false);
    const p = channel._next(undefined);
    const tail = channel._newest(false);
    if (tail !== before && tail !== null) {
      // it parked: remember it, in place of one already served
      if (plain === null || plain._queue === null) plain = tail;
      else {
        morePlain = morePlain === null ? [] : morePlain.filter((v) => v._queue !== null);
        morePlain.push(tail);
      }
    }
    return p;
  };
  return {
    next,
    return: (value?: unknown) => {
      left = true;
      const w = parked;
      const op = parkedFor;
      parked = parkedFor = null;
      if (w !== null && w._queue !== null && w._resolve === op) unpark(w, false, ITER_DONE);
      const waiting = morePlain === null ? [plain] : [plain, ...morePlain];
      plain = morePlain = null;
      for (const v of waiting) if (v !== null && v._queue !== null) unpark(v, false, ITER_DONE);
      return Promise.resolve({ value, done: true } as IteratorResult<T>);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
