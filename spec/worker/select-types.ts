/**
 * Type-level tests (compiled by npm run typecheck, never run; spec/types/ has no Node types) of a select with cases of another thread's channels (tasklets/worker):
 * a remote receive case narrows to the channel's type, a remote send case gives `undefined`,
 * mixed with local cases in one select; a remote send case needs a value of the channel's type.
 */
import { Channel, select } from '../../lib/index';
import { attach, type SharedChannel } from '../../lib/worker';
import { type Equal, expectType } from '../types/expect';

export async function remoteNarrowing(handle: SharedChannel<number>): Promise<void> {
  const remote = attach<number>(handle);
  const words = new Channel<string>();
  const r = await select({ n: remote.receiveCase(), s: remote.sendCase(1), w: words.receiveCase() });
  expectType<Equal<typeof r.key, 'n' | 's' | 'w'>>();
  if (r.key === 'n') {
    if (r.done) expectType<Equal<typeof r.value, undefined>>();
    else expectType<Equal<typeof r.value, number>>();
  } else if (r.key === 's') {
    expectType<Equal<typeof r.value, undefined>>();
    expectType<Equal<typeof r.done, false>>();
  } else if (!r.done) {
    expectType<Equal<typeof r.value, string>>();
  }
  // @ts-expect-error a remote send case needs a value of the channel's type
  remote.sendCase('one');
}
