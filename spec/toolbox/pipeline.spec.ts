import { Channel, ChannelClosedError, fromIterable, pipeline, run, sleep, tasklet } from '../../lib/index';
import { rejection, settle } from '../helpers';

async function drain<T>(ch: Channel<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of ch) out.push(v);
  return out;
}

describe('pipeline', () => {
  test('order: results in input order although later ones finish first; at most n in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = pipeline(
      3,
      async (v: number) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep((10 - v) * 2); // later values finish sooner
        inFlight--;
        return v * v;
      },
      fromIterable([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
    const t = tasklet(() => drain(out))();
    await run();
    expect(await t.join()).toEqual([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
    expect(peak).toBe(3);
  });

  test('close propagation: an empty input gives a closed output', async () => {
    const input = new Channel<number>();
    input.close();
    const out = pipeline(2, (v: number) => v, input);
    await expect(out.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    await run();
  });

  test('error propagation: an error thrown by fn arrives in its place in the order, then the output closes', async () => {
    const boom = new Error('boom');
    const out = pipeline(
      4,
      async (v: number) => {
        if (v === 2) throw boom;
        return v;
      },
      fromIterable([0, 1, 2, 3, 4]),
      { capacity: 10 },
    );
    expect(await out.receive()).toBe(0);
    expect(await out.receive()).toBe(1);
    expect(await rejection(out.receive())).toBe(boom);
    await expect(out.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    await run();
  });

  test('error propagation: an input error too', async () => {
    const input = new Channel<number>({ capacity: 3 });
    input.trySend(1);
    const boom = new Error('input failed');
    void input.sendThrow(boom);
    const out = pipeline(2, (v: number) => v + 1, input);
    expect(await out.receive()).toBe(2);
    expect(await rejection(out.receive())).toBe(boom);
    await expect(out.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    await run();
  });

  test('abort: stops, aborts fn’s signal, closes the output', async () => {
    const ac = new AbortController();
    const input = new Channel<number>({ capacity: 10 });
    for (let i = 0; i < 10; i++) input.trySend(i);
    const seen: AbortSignal[] = [];
    const out = pipeline(
      2,
      async (v: number, signal: AbortSignal) => {
        seen.push(signal);
        await sleep(10_000, { signal });
        return v;
      },
      input,
      { signal: ac.signal },
    );
    await settle();
    expect(seen).toHaveLength(2);
    ac.abort();
    await run().catch(() => {});
    await settle();
    expect(seen.every((s) => s.aborted)).toBe(true);
    expect(out.closed).toBe(true);
    expect(input.length).toBe(8); // the rest is still in the input
    await run();
  });

  test('backpressure: a slow consumer holds the input after n values', async () => {
    const input = new Channel<number>({ capacity: Infinity });
    for (let i = 0; i < 20; i++) input.trySend(i);
    const out = pipeline(3, (v: number) => v, input);
    await settle(10);
    expect(input.length).toBe(20 - 3);
    expect(await out.receive()).toBe(0);
    await settle(10);
    expect(input.length).toBe(20 - 4);
    input.close();
    const t = tasklet(() => drain(out))();
    expect(await t.join()).toHaveLength(19);
  });

  test('bad arguments', () => {
    const ch = new Channel<number>();
    expect(() => pipeline(0, (v: number) => v, ch)).toThrow(/pipeline\(\): n must be a positive integer, received 0/);
    expect(() => pipeline('2' as never, (v: number) => v, ch)).toThrow(TypeError);
    expect(() => pipeline(2, null as never, ch)).toThrow(/fn must be a function, received null/);
    expect(() => pipeline(2, (v: number) => v, [] as never)).toThrow(/input must be a Channel, received an array/);
  });
});
