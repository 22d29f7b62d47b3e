/**
 * Fan-in: one channel that receives from several, as their values come.
 */
import type { Channel } from '../channel/channel';
import { type Cases, select } from '../select/select';
import { tasklet } from '../core/tasklet';
import { checkChannel, checkToolboxOptions, forward, isStop, type ToolboxOptions } from './common';
import { OwnedChannel } from './owned';

/**
 * Merges `inputs` into one new channel: every value of every input is delivered once,
 * each input's values in their order, the inputs served by a fair `select` (no input
 * can starve another). The output closes once every input is closed and drained. An
 * input's error (`sendThrow`) is forwarded and ends the output; `signal` stops it.
 * Backpressure: the merge takes a value from an input only when it has handed on the
 * previous one. When its consumer leaves (the last `for await` over the output ends
 * early, or the output is closed), the merge stops at once; the inputs stay open with
 * their values, and the one value it may have taken and not yet handed on is dropped.
 *
 * @example
 * ```ts
 * const all = merge([fromIterable(['a1', 'a2']), fromIterable(['b1'])], { name: 'input' });
 * const got: string[] = [];
 * for await (const v of all) got.push(v); // ends once both inputs are closed and drained
 * console.log(got.sort()); // [ 'a1', 'a2', 'b1' ]
 * ```
 */
export function merge<T>(inputs: readonly Channel<T>[], options?: ToolboxOptions): Channel<T> {
  if (!Array.isArray(inputs)) throw new TypeError(`merge(): inputs must be an array of channels, received ${inputs === null ? 'null' : typeof inputs}`);
  inputs.forEach((ch, i) => checkChannel('merge()', `inputs[${i}]`, ch));
  const { signal, capacity, name } = checkToolboxOptions('merge()', options);
  const label = name ?? `merge(${inputs.map((ch) => ch.name).join(', ')})`;
  // The consumer left (see owned.ts): the merge stops where it waits; the inputs stay open.
  let left = false;
  const out = new OwnedChannel<T>({ capacity, name: label }, () => {
    left = true;
    void merger.kill();
  });
  const merger = tasklet(
    async () => {
      const open = inputs.slice();
      let held: { value: T } | null = null;
      try {
        while (open.length !== 0) {
          const cases: Record<string, ReturnType<Channel<T>['receiveCase']>> = {};
          for (let i = 0; i < open.length; i++) cases[i] = open[i].receiveCase();
          const r = await select(cases as Cases, { signal });
          if (r.done) {
            open.splice(Number(r.key), 1);
            continue;
          }
          held = { value: r.value as T };
          await out.send(held.value, { signal });
          held = null;
        }
      } catch (e) {
        if (left) return; // a value in hand goes with the consumer that left
        if (held !== null && !out.closing) out.trySend(held.value);
        if (!isStop(e, signal)) await forward(out, e, signal);
      } finally {
        out._finished();
        out.close();
      }
    },
    { name: label },
  )();
  return out;
}
