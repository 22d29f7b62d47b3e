import { Broadcast, Channel, ChannelClosedError, mult, run, tasklet } from '../../lib/index';
import { rejection, settle } from '../helpers';

async function drain<T>(ch: Channel<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of ch) out.push(v);
  return out;
}

describe('Broadcast / mult + tap', () => {
  test('order: every tap gets every value, in order', async () => {
    const src = new Channel<number>({ name: 'src' });
    const b = new Broadcast(src);
    const taps = [b.tap(), b.tap({ capacity: 3 }), b.tap({ capacity: Infinity })];
    const results = taps.map((t) => tasklet(() => drain(t))());
    for (let i = 0; i < 20; i++) await src.send(i);
    src.close();
    await run();
    for (const r of results) expect(await r.join()).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test('close propagation: the source closing closes every tap; a late tap comes back closed', async () => {
    const src = new Channel<number>({ capacity: 1 });
    const m = mult(src);
    const t = m.tap({ capacity: 1 });
    src.trySend(1);
    src.close();
    expect(await t.receive()).toBe(1);
    await settle();
    expect(t.closed).toBe(true);
    expect(m.tap().closed).toBe(true);
    await run();
  });

  test('error propagation: a source error reaches every tap, then they close', async () => {
    const src = new Channel<number>({ capacity: 2 });
    const b = new Broadcast(src);
    const t1 = b.tap({ capacity: 5 });
    const t2 = b.tap({ capacity: 5 });
    const boom = new Error('boom');
    src.trySend(1);
    void src.sendThrow(boom);
    for (const t of [t1, t2]) {
      expect(await t.receive()).toBe(1);
      expect(await rejection(t.receive())).toBe(boom);
      await expect(t.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    }
    await run();
  });

  test('abort: stops, closes the taps, leaves the source untouched', async () => {
    const src = new Channel<number>({ name: 'src' });
    const ac = new AbortController();
    const b = new Broadcast(src, { signal: ac.signal });
    const t = b.tap();
    await settle();
    expect(src.balance).toBe(-1);
    ac.abort();
    await settle();
    expect(src.balance).toBe(0);
    expect(t.closed).toBe(true);
    await run();
  });

  test('backpressure per subscriber: a fast tap is not held back by a slow one until the slow one’s buffer is full', async () => {
    const src = new Channel<number>({ capacity: Infinity });
    const b = new Broadcast(src);
    const slow = b.tap({ capacity: 2, name: 'slow' });
    const fast = b.tap({ name: 'fast' });
    for (let i = 0; i < 10; i++) src.trySend(i);
    const fastGot: number[] = [];
    const fastReader = tasklet(async () => {
      for await (const v of fast) fastGot.push(v);
    })();
    await settle();
    // slow buffers 2 and holds the third value: the fast tap got 0..2, the source keeps 7
    expect(fastGot).toEqual([0, 1, 2]);
    expect(slow.length).toBe(2);
    expect(src.length).toBe(7);
    expect(await slow.receive()).toBe(0);
    await settle();
    expect(fastGot).toEqual([0, 1, 2, 3]);
    src.close();
    const slowReader = tasklet(() => drain(slow))();
    expect(await slowReader.join()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await fastReader.join();
    expect(fastGot).toHaveLength(10);
  });

  test('untap releases a stuck subscriber; with no taps it waits rather than drop values', async () => {
    const src = new Channel<number>({ capacity: Infinity });
    const b = new Broadcast(src);
    src.trySend(1);
    src.trySend(2);
    await settle();
    // nobody subscribed: one value is taken (so that the source's end is seen) and kept
    expect(src.length).toBe(1);
    src.tryReceive();
    const stuck = b.tap();
    const other = b.tap({ capacity: Infinity });
    src.trySend(2);
    await settle();
    expect(other.length).toBe(1); // value 1 delivered to `other`, waits on `stuck`
    expect(b.untap(stuck)).toBe(true);
    expect(b.untap(stuck)).toBe(false);
    await settle();
    expect(b.size).toBe(1);
    src.close();
    expect(await drain(other)).toEqual([1, 2]);
    expect(stuck.closing).toBe(false); // an untapped channel is not closed
    await run();
  });

  test('bad arguments', () => {
    expect(() => new Broadcast(3 as never)).toThrow(/new Broadcast\(\): source must be a Channel, received 3/);
    const b = new Broadcast(new Channel(), { signal: AbortSignal.abort() });
    expect(() => b.tap({ capacity: 1.5 })).toThrow(RangeError);
    expect(() => b.untap({} as never)).toThrow(TypeError);
  });
});
