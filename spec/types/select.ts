/**
 * Type-level tests of select's result: `key` is the union of the case names and
 * `value` narrows with it; a send case gives `undefined`; `done` tells a closed receive.
 */
import { Channel, select, trySelect } from '../../lib/index';
import { type Equal, expectType } from './expect';

export async function narrowing(): Promise<void> {
  const nums = new Channel<number>();
  const words = new Channel<string>();
  const r = await select({ n: nums.receiveCase(), w: words.receiveCase(), s: nums.sendCase(1) });
  expectType<Equal<typeof r.key, 'n' | 'w' | 's'>>();
  if (r.key === 'n') {
    if (r.done) expectType<Equal<typeof r.value, undefined>>();
    else expectType<Equal<typeof r.value, number>>();
  } else if (r.key === 'w' && !r.done) {
    expectType<Equal<typeof r.value, string>>();
  } else if (r.key === 's') {
    expectType<Equal<typeof r.value, undefined>>();
    expectType<Equal<typeof r.done, false>>();
  }
  // @ts-expect-error 'x' names no case
  if (r.key === 'x') return;
  // @ts-expect-error the value may be undefined until done is checked
  if (r.key === 'n') r.value.toFixed();
  // @ts-expect-error a send case needs a value of the channel's type
  nums.sendCase('one');

  const t = trySelect({ n: nums.receiveCase() });
  expectType<Equal<typeof t, null | { readonly key: 'n'; readonly value: number; readonly done: false } | { readonly key: 'n'; readonly value: undefined; readonly done: true }>>();
}
