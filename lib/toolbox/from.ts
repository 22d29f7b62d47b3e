/**
 * A channel fed from an iterable or async iterable (like `Channel.from` elsewhere).
 */
import type { Channel } from '../channel/channel';
import { tasklet } from '../core/tasklet';
import { show } from '../base/validate';
import { checkToolboxOptions, forward, isStop, type ToolboxOptions } from './common';
import { OwnedChannel } from './owned';

/**
 * A new channel that receives the items of `items` (sync or async iterable) in order,
 * one at a time as they are taken (backpressure: the iterable is not read ahead of
 * the channel's capacity), and closes after the last. An error thrown by the iterable
 * is forwarded (`sendThrow`) and ends the channel.
 *
 * The channel owns the iterable: when its consumer leaves — the last `for await` over it
 * ends early (`break`, `return`, an exception), the channel is closed, or `signal`
 * aborts — it stops reading and calls the iterator's `return()`, so a generator's
 * `finally` runs. Values already buffered can still be received; an item it had taken
 * and was still offering is dropped with the iterable. (An async iterable busy
 * producing its next item is released once that item comes.)
 *
 * @example
 * ```ts
 * function* naturals() {
 *   try { for (let i = 0; ; i++) yield i; } finally { console.log('released'); } // released
 * }
 * for await (const n of fromIterable(naturals())) if (n === 2) break; // the generator's finally runs
 * ```
 */
export function fromIterable<T>(items: Iterable<T> | AsyncIterable<T>, options?: ToolboxOptions): Channel<T> {
  const isAsync = items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
  if (!isAsync && !(items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function')) {
    throw new TypeError(`fromIterable(): items must be an iterable or async iterable, received ${show(items)}`);
  }
  return feed(items, isAsync, checkToolboxOptions('fromIterable()', options), 'fromIterable', null);
}

/**
 * @internal The pump behind `fromIterable` and `fromReadable`: one tasklet that sends each
 * item. `release` is also called when the consumer leaves (`fromReadable` destroys its
 * stream there, since a stream waiting for data would otherwise hold the pump).
 */
export function feed<T>(
  items: Iterable<T> | AsyncIterable<T>,
  isAsync: boolean,
  { signal, capacity, name }: { signal: AbortSignal | undefined; capacity: number; name: string | undefined },
  defaultName: string,
  release: (() => void) | null,
): Channel<T> {
  const label = name ?? defaultName;
  // The consumer left: the pump, wherever it waits, gets `TaskletExit`, which leaves its
  // parked send as if never tried and ends the loop below, which calls `return()`.
  let left = false;
  const out = new OwnedChannel<T>({ capacity, name: label }, () => {
    left = true;
    void pump.kill();
    release?.();
  });
  const pump = tasklet(
    async () => {
      try {
        if (isAsync) for await (const v of items as AsyncIterable<T>) await out.send(v, { signal });
        else for (const v of items as Iterable<T>) await out.send(v, { signal });
      } catch (e) {
        if (!left && !isStop(e, signal)) await forward(out, e, signal);
      } finally {
        out._finished();
        out.close();
      }
    },
    { name: label },
  )();
  return out;
}
