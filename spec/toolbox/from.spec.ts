import { Channel, ChannelClosedError, fromIterable, run, tasklet } from '../../lib/index';
import { rejection, settle } from '../helpers';

describe('fromIterable', () => {
  test('order: sync and async iterables, every kind of value, then closed', async () => {
    const values = [1, undefined, null, 'x'];
    async function* gen(): AsyncGenerator<unknown> {
      yield* values;
    }
    for (const source of [values, gen(), new Set(values)]) {
      const ch = fromIterable(source as Iterable<unknown>);
      const got: unknown[] = [];
      const t = tasklet(async () => {
        for await (const v of ch) got.push(v);
      })();
      await t.join();
      expect(got).toEqual(values);
      expect(ch.closed).toBe(true);
    }
    await run();
  });

  test('error propagation: an iterable that throws is forwarded, then the channel closes', async () => {
    const boom = new Error('boom');
    function* gen(): Generator<number> {
      yield 1;
      throw boom;
    }
    const ch = fromIterable(gen());
    expect(await ch.receive()).toBe(1);
    expect(await rejection(ch.receive())).toBe(boom);
    await expect(ch.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    await run();
  });

  test('abort and backpressure: reads one item ahead of the capacity; abort calls return() and closes', async () => {
    let read = 0;
    let finalized = false;
    function* gen(): Generator<number> {
      try {
        for (;;) yield read++;
      } finally {
        finalized = true;
      }
    }
    const ac = new AbortController();
    const ch = fromIterable(gen(), { capacity: 2, signal: ac.signal });
    await settle();
    expect(read).toBe(3); // 2 buffered, 1 parked in send
    expect(ch.length).toBe(2);
    ac.abort();
    await settle();
    expect(finalized).toBe(true);
    expect(ch.closing).toBe(true);
    expect([ch.tryReceive().value, ch.tryReceive().value]).toEqual([0, 1]);
    expect(ch.closed).toBe(true);
    await run();
  });

  test('the receiver closing the channel stops it too', async () => {
    let finalized = false;
    function* gen(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finalized = true;
      }
    }
    const ch = fromIterable(gen());
    expect(await ch.receive()).toBe(0);
    ch.close();
    await settle();
    // a send parked before the close still delivers (close loses nothing); the next one fails
    while (ch.tryReceive().ok);
    await settle();
    expect(finalized).toBe(true);
    await run();
  });

  test('bad arguments', () => {
    expect(() => fromIterable(5 as never)).toThrow(/fromIterable\(\): items must be an iterable or async iterable, received 5/);
    expect(() => fromIterable([], { bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
    expect(new Channel()).toBeInstanceOf(Channel);
  });
});
