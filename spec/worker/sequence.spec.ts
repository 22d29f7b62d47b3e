/** `RemoteChannel.sendSequence`: the local channel's, over the bridge (lib/channel/sequence.ts). */
import { Channel, ChannelClosedError } from '../../lib/index';
import { attach } from '../../lib/worker/remote';
import { share } from '../../lib/worker/share';
import { receiveN } from '../helpers';

test('sends each item in turn, in order, on a rendezvous and on credits; resolves with the count, readable meanwhile as .sent', async () => {
  const rendezvous = new Channel<number>({ name: 'r' });
  const end = attach<number>(share(rendezvous));
  const job = end.sendSequence([1, 2, 3]);
  expect(job.sent).toBe(0);
  expect(await receiveN(rendezvous, 3)).toEqual([1, 2, 3]);
  expect(await job).toBe(3);
  expect(job.sent).toBe(3);

  const buffered = new Channel<number>({ capacity: 8, name: 'b' });
  const bend = attach<number>(share(buffered));
  async function* numbers(): AsyncGenerator<number> {
    for (let i = 0; i < 20; i++) yield i;
  }
  const all = receiveN(buffered, 20);
  expect(await bend.sendSequence(numbers())).toBe(20);
  expect(await all).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

test('an iterable that is none is a TypeError naming sendSequence(); a closed channel stops it with the count so far', async () => {
  const ch = new Channel<number>({ capacity: 2, name: 'c' });
  const end = attach<number>(share(ch));
  await expect(end.sendSequence(42 as never)).rejects.toThrow(/^sendSequence\(\): items must be an iterable or async iterable, received 42/);
  const job = end.sendSequence([1, 2, 3, 4]);
  while (ch.balance !== 1) await new Promise((resolve) => setTimeout(resolve, 5)); // 1 and 2 buffered, 3 parked
  ch.close(); // 3 was sent before the close: still delivered; 4 is not
  expect(await receiveN(ch, 3)).toEqual([1, 2, 3]);
  const e = await job.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelClosedError);
  expect((e as ChannelClosedError).value).toBe(4);
  expect(job.sent).toBe(3);
}, 10_000);
