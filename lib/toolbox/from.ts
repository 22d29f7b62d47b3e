/**
 * A channel fed from an iterable or async iterable (like `Channel.from` elsewhere).
 */
import { Channel } from '../channel';
import { tasklet } from '../tasklet';
import { show } from '../validate';
import { checkToolboxOptions, forward, isStop, type ToolboxOptions } from './common';

/**
 * A new channel that receives the items of `items` (sync or async iterable) in order,
 * one at a time as they are taken (backpressure: the iterable is not read ahead of
 * the channel's capacity), and closes after the last. An error thrown by the iterable
 * is forwarded (`sendThrow`) and ends the channel. `signal`, or the receiver closing
 * the channel, stops it and calls the iterator's `return()`, so its `finally` runs.
 *
 * @example
 * ```ts
 * const ch = fromIterable([1, 2, 3]);
 * for await (const v of ch) console.log(v); // 1 2 3
 * ```
 */
export function fromIterable<T>(items: Iterable<T> | AsyncIterable<T>, options?: ToolboxOptions): Channel<T> {
  const isAsync = items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
  if (!isAsync && !(items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function')) {
    throw new TypeError(`fromIterable(): items must be an iterable or async iterable, received ${show(items)}`);
  }
  const { signal, capacity, name } = checkToolboxOptions('fromIterable()', options);
  const label = name ?? 'fromIterable';
  const out = new Channel<T>({ capacity, name: label });
  tasklet(async () => {
    try {
      if (isAsync) for await (const v of items as AsyncIterable<T>) await out.send(v, { signal });
      else for (const v of items as Iterable<T>) await out.send(v, { signal });
    } catch (e) {
      if (!isStop(e, signal)) await forward(out, e, signal);
    } finally {
      out.close();
    }
  }, { name: label })();
  return out;
}
