/**
 * A parallel pipeline (core.async `pipeline`): `fn` applied to every value of an input
 * by up to `n` tasklets at once, the results delivered in input order.
 */
import { Channel } from '../channel/channel';
import { tasklet } from '../core/tasklet';
import { show } from '../base/validate';
import { checkChannel, checkFunction, checkToolboxOptions, forward, isStop, linked, type ToolboxOptions } from './common';
import { OwnedChannel } from './owned';

/**
 * Applies `fn` to each value of `input` with at most `n` calls in flight, and delivers
 * the results on a new channel in the order of the inputs — a slow value holds back the
 * results after it, never reorders them. `fn` gets an `AbortSignal` that aborts when the
 * pipeline stops. Backpressure: at most `n` values are between `input` and the output
 * at any time. Closes when `input` is closed, drained and every result delivered. An
 * error, from `input` or thrown by `fn`, is delivered in its place in the order and
 * ends the output; `signal` stops it, and so does its consumer leaving (the last
 * `for await` over the output ending early, or the output closed): then `fn`'s signal
 * aborts, the input keeps the values not yet taken, and the up to `n` values in
 * flight are dropped.
 *
 * @example
 * ```ts
 * const pages = pipeline(4, async (url: string) => (await fetch(url)).text(), fromIterable(urls));
 * // Four fetches at a time; the pages come out in the order of urls.
 * for await (const html of pages) console.log(html.length);
 * ```
 */
export function pipeline<T, R>(n: number, fn: (value: T, signal: AbortSignal) => R | Promise<R>, input: Channel<T>, options?: ToolboxOptions): Channel<R> {
  if (typeof n !== 'number') throw new TypeError(`pipeline(): n must be a positive integer, received ${show(n)}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`pipeline(): n must be a positive integer, received ${show(n)}`);
  checkFunction('pipeline()', 'fn', fn);
  checkChannel('pipeline()', 'input', input);
  const { signal, capacity, name } = checkToolboxOptions('pipeline()', options);
  const label = name ?? `pipeline(${input.name})`;
  const stop = linked(signal);
  // The consumer left (see owned.ts): everything stops as on abort, `fn` included.
  const out = new OwnedChannel<R>({ capacity, name: label }, () => stop.abort());
  // One result slot per value, queued in input order; at most n exist at once.
  const slots = new Channel<Channel<R>>({ capacity: n, name: `${label} slots` });
  const tokens = new Channel<true>({ capacity: n, name: `${label} tokens` });
  for (let i = 0; i < n; i++) tokens.trySend(true);

  const work = tasklet(
    async (value: T, slot: Channel<R>) => {
      try {
        slot.trySend(await fn(value, stop.signal));
      } catch (e) {
        void slot.sendThrow(e); // capacity 1, empty: stored at once
      }
    },
    { name: `${label} worker` },
  );

  tasklet(
    async () => {
      try {
        for (;;) {
          await tokens.receive({ signal: stop.signal });
          const slot = new Channel<R>({ capacity: 1 });
          let value: T;
          try {
            value = await input.receive({ signal: stop.signal });
          } catch (e) {
            if (isStop(e, stop.signal)) return;
            void slot.sendThrow(e); // an input error takes its place in the order
            await slots.send(slot, { signal: stop.signal });
            return;
          }
          await slots.send(slot, { signal: stop.signal });
          work(value, slot);
        }
      } catch (e) {
        if (!isStop(e, stop.signal)) throw e;
      } finally {
        slots.close();
      }
    },
    { name: `${label} dispatcher` },
  )();

  tasklet(
    async () => {
      try {
        for (;;) {
          const slot = await slots.receive({ signal: stop.signal });
          let result: R;
          try {
            result = await slot.receive({ signal: stop.signal });
          } catch (e) {
            if (isStop(e, stop.signal)) return;
            await forward(out, e, stop.signal);
            return;
          }
          await out.send(result, { signal: stop.signal });
          tokens.trySend(true);
        }
      } catch (e) {
        if (!isStop(e, stop.signal)) throw e;
      } finally {
        out.close();
        stop.abort(); // the dispatcher and any fn still running stop too
        stop.dispose();
      }
    },
    { name: `${label} collector` },
  )();
  return out;
}
