import { Channel, ChannelClosedError, pub, PubSub, run } from '../../lib/index';
import { rejection, settle } from '../helpers';

type Ev = { type: string; n: number };

describe('PubSub / pub + subscribe', () => {
  test('order: each subscriber gets its topic’s values, in order; several per topic; unsubscribed topics dropped', async () => {
    const src = new Channel<Ev>({ capacity: Infinity });
    const bus = new PubSub(src, (e) => e.type);
    const a1 = bus.subscribe('a', { capacity: Infinity });
    const a2 = bus.subscribe('a', { capacity: Infinity });
    const b = bus.subscribe('b', { capacity: Infinity });
    for (let n = 0; n < 12; n++) src.trySend({ type: ['a', 'b', 'c'][n % 3], n });
    src.close();
    await run();
    const all = (ch: Channel<Ev>): number[] => {
      const out: number[] = [];
      for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) out.push(r.value.n);
      return out;
    };
    expect(all(a1)).toEqual([0, 3, 6, 9]);
    expect(all(a2)).toEqual([0, 3, 6, 9]);
    expect(all(b)).toEqual([1, 4, 7, 10]);
    expect([a1.closed, a2.closed, b.closed]).toEqual([true, true, true]);
  });

  test('close propagation: subscribers close with the source; a late subscriber comes back closed', async () => {
    const src = new Channel<Ev>();
    const p = pub(src, (e) => e.type);
    const s = p.subscribe('x');
    src.close();
    await expect(s.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    expect(p.subscribe('y').closed).toBe(true);
    await run();
  });

  test('error propagation: from the source or from topicOf, forwarded to every subscriber, then closed', async () => {
    const src = new Channel<Ev>({ capacity: 2 });
    const bad = new Error('bad topic');
    const bus = new PubSub(src, (e) => {
      if (e.n < 0) throw bad;
      return e.type;
    });
    const x = bus.subscribe('x', { capacity: 2 });
    const y = bus.subscribe('y', { capacity: 2 });
    src.trySend({ type: 'x', n: 1 });
    src.trySend({ type: 'x', n: -1 });
    expect((await x.receive()).n).toBe(1);
    expect(await rejection(x.receive())).toBe(bad);
    expect(await rejection(y.receive())).toBe(bad);
    await expect(y.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    await run();
  });

  test('abort: stops and closes subscribers, leaving the source untouched', async () => {
    const src = new Channel<Ev>();
    const ac = new AbortController();
    const bus = new PubSub(src, (e) => e.type, { signal: ac.signal });
    const s = bus.subscribe('x');
    await settle();
    expect(src.balance).toBe(-1);
    ac.abort();
    await settle();
    expect([src.balance, s.closed]).toEqual([0, true]);
    await run();
  });

  test('backpressure: a full subscriber holds the source; unsubscribe releases it', async () => {
    const src = new Channel<Ev>({ capacity: Infinity });
    const bus = new PubSub(src, (e) => e.type);
    const x = bus.subscribe('x', { capacity: 1 });
    for (let n = 0; n < 5; n++) src.trySend({ type: 'x', n });
    await settle();
    expect(x.length).toBe(1);
    expect(src.length).toBe(3); // one more taken, held for x
    expect(bus.unsubscribe('x', x)).toBe(true);
    expect(bus.unsubscribe('x', x)).toBe(false);
    await settle();
    expect(src.length).toBe(0); // no subscriber: dropped
    src.close();
    await run();
  });

  test('bad arguments', () => {
    const ch = new Channel<Ev>();
    expect(() => new PubSub(ch, 'type' as never)).toThrow(/new PubSub\(\): topicOf must be a function, received "type"/);
    expect(() => new PubSub({} as never, (e: Ev) => e.type)).toThrow(/source must be a Channel, received an object/);
    ch.close();
  });
});
