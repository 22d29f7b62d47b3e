import { Channel, ChannelClosedError, merge, run, schedule, setRandomSeed, tasklet } from '../../lib/index';
import { rejection, settle } from '../helpers';

async function drain<T>(ch: Channel<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of ch) out.push(v);
  return out;
}

describe('merge', () => {
  test('order: every value once, each input’s values in their order', async () => {
    setRandomSeed(3);
    const a = new Channel<string>({ name: 'a' });
    const b = new Channel<string>({ name: 'b' });
    tasklet(async () => {
      for (let i = 0; i < 50; i++) await a.send(`a${i}`);
      a.close();
    })();
    tasklet(async () => {
      for (let i = 0; i < 50; i++) await b.send(`b${i}`);
      b.close();
    })();
    const got = await drain(merge([a, b]));
    expect(got).toHaveLength(100);
    expect(got.filter((v) => v[0] === 'a')).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    expect(got.filter((v) => v[0] === 'b')).toEqual(Array.from({ length: 50 }, (_, i) => `b${i}`));
    // fair: both inputs are interleaved, not one after the other
    expect(got.slice(0, 50).some((v) => v[0] === 'b')).toBe(true);
    await run();
  });

  test('close propagation: the output closes only once every input is closed and drained', async () => {
    const a = new Channel<number>({ capacity: 2 });
    const b = new Channel<number>();
    const out = merge([a, b]);
    a.trySend(1);
    a.close();
    expect(await out.receive()).toBe(1);
    await settle();
    expect(out.closing).toBe(false); // b still open
    b.close();
    await expect(out.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    expect(out.closed).toBe(true);
    expect(merge([]).closing).toBe(false); // closes once its tasklet runs
    await run();
  });

  test('error propagation: an input error is forwarded in order, then the output closes', async () => {
    const a = new Channel<number>({ capacity: 3 });
    a.trySend(1);
    const boom = new Error('boom');
    void a.sendThrow(boom);
    const b = new Channel<number>();
    const out = merge([a, b]);
    expect(await out.receive()).toBe(1);
    expect(await rejection(out.receive())).toBe(boom);
    await expect(out.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    expect(b.balance).toBe(0); // it left b's queue
    await run();
  });

  test('abort: stops, closes the output, leaves the inputs untouched', async () => {
    const a = new Channel<number>({ name: 'a' });
    const ac = new AbortController();
    const out = merge([a], { signal: ac.signal });
    await settle();
    expect(a.balance).toBe(-1);
    ac.abort();
    await settle();
    expect(a.balance).toBe(0);
    expect(out.closed).toBe(true);
    expect(a.trySend(1)).toBe(false);
    await run();
  });

  test('backpressure: it takes a value from an input only after handing on the previous one', async () => {
    const a = new Channel<number>({ capacity: 10 });
    for (let i = 0; i < 10; i++) a.trySend(i);
    const out = merge([a]); // rendezvous output, nobody receiving
    await settle();
    expect(a.length).toBe(9); // one taken, held until someone receives it
    expect(await out.receive()).toBe(0);
    await schedule();
    expect(a.length).toBe(8);
    a.close();
    expect(await drain(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('bad arguments', () => {
    expect(() => merge('x' as never)).toThrow(/merge\(\): inputs must be an array of channels, received string/);
    expect(() => merge([1] as never)).toThrow(/merge\(\): inputs\[0\] must be a Channel, received 1/);
    expect(() => merge([], { capacity: -1 })).toThrow(RangeError);
  });
});
