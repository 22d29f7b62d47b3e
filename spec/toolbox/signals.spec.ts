/**
 * Issue 14.7: toolbox leaks. `ticker(1000, { signal }).stop()` 2,000 times left 2,000
 * abort listeners on the signal, each holding its ticker. Every combinator that takes a
 * signal must remove what it added when it stops, by any path: its own end (stop, the
 * source's end), its output closed (or its consumer leaving), and the abort itself.
 */
import { EventEmitter, getEventListeners } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { Broadcast, Channel, fromIterable, merge, pipeline, PubSub, run, sleep, ticker, withTimeout } from '../../lib/index';
import { fromEvent, fromReadable, toWritable } from '../../lib/node';
import { drain, rejection, settle, takeAll } from '../helpers';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

/** A channel holding `values`, closed. */
function closedWith<T>(...values: T[]): Channel<T> {
  const ch = new Channel<T>({ capacity: Infinity });
  for (const v of values) ch.trySend(v);
  ch.close();
  return ch;
}

describe('ticker', () => {
  test('2,000 tickers stopped leave no listener on their signal (before: 2,000)', () => {
    const ac = new AbortController();
    for (let i = 0; i < 2000; i++) ticker(1000, { signal: ac.signal }).stop();
    expect(listeners(ac.signal)).toBe(0);
  });

  test('close() and abort remove it too; while it runs there is exactly one', () => {
    const ac = new AbortController();
    const t = ticker(1000, { signal: ac.signal });
    expect(listeners(ac.signal)).toBe(1);
    t.close();
    expect(listeners(ac.signal)).toBe(0);
    const u = ticker(1000, { signal: ac.signal });
    ac.abort();
    expect(listeners(ac.signal)).toBe(0);
    expect(u.closing).toBe(true);
  });
});

/**
 * Each combinator, three ways: it ends by itself (its input closed and drained, its
 * source ended), its output is closed by the receiving side, and its signal aborts.
 * `start(signal)` makes it and returns its output and what ends it by itself.
 */
type Case = {
  name: string;
  /** A subscription: closing it leaves the hub running for others until its source ends. */
  hub?: boolean;
  start: (signal: AbortSignal) => { out: Channel<unknown>; end: () => void | Promise<void> };
};

const cases: Case[] = [
  {
    name: 'merge',
    start: (signal) => {
      const a = new Channel<number>({ capacity: Infinity });
      a.trySend(1);
      return { out: merge([a, closedWith(2)], { signal }), end: () => a.close() };
    },
  },
  {
    name: 'pipeline',
    start: (signal) => {
      const input = new Channel<number>({ capacity: Infinity });
      input.trySend(1);
      return { out: pipeline(2, (v: number) => v, input, { signal }), end: () => input.close() };
    },
  },
  {
    name: 'fromIterable',
    start: (signal) => {
      const src = new Channel<number>({ capacity: Infinity });
      src.trySend(1);
      return { out: fromIterable(src, { signal }), end: () => src.close() };
    },
  },
  {
    name: 'fromReadable',
    start: (signal) => {
      const stream = new Readable({ objectMode: true, read() {} });
      stream.push('a');
      return { out: fromReadable(stream, { signal }), end: () => void stream.push(null) };
    },
  },
  {
    name: 'fromEvent',
    start: (signal) => {
      const em = new EventEmitter();
      const out = fromEvent(em, 'data', { signal, closeOn: ['end'] });
      em.emit('data', 1);
      return { out, end: () => void em.emit('end') };
    },
  },
  {
    name: 'Broadcast tap',
    hub: true,
    start: (signal) => {
      const src = new Channel<number>({ capacity: Infinity });
      src.trySend(1);
      const out = new Broadcast(src, { signal }).tap({ capacity: Infinity });
      return { out, end: () => src.close() };
    },
  },
  {
    name: 'PubSub subscriber',
    hub: true,
    start: (signal) => {
      const src = new Channel<number>({ capacity: Infinity });
      src.trySend(1);
      const out = new PubSub(src, () => 'all', { signal }).subscribe('all', { capacity: Infinity });
      return { out, end: () => src.close() };
    },
  },
];

describe.each(cases)('$name removes its abort listener', ({ start, hub }) => {
  test('when it ends by itself', async () => {
    const ac = new AbortController();
    const { out, end } = start(ac.signal);
    await end();
    await drain(out);
    await run();
    expect(listeners(ac.signal)).toBe(0);
  });

  test('when its output is closed by the receiving side', async () => {
    const ac = new AbortController();
    const { out, end } = start(ac.signal);
    await settle();
    out.close();
    await settle();
    takeAll(out);
    if (hub) {
      await end(); // the hub goes on for other subscribers until its source ends
      await settle();
    }
    await run();
    expect(listeners(ac.signal)).toBe(0);
  });

  test('when the signal aborts', async () => {
    const ac = new AbortController();
    const { out } = start(ac.signal);
    await settle();
    ac.abort();
    await settle();
    takeAll(out);
    await run();
    expect(listeners(ac.signal)).toBe(0);
  });

  test('while it runs, listeners do not pile up value after value', async () => {
    const ac = new AbortController();
    const { out } = start(ac.signal);
    for (let i = 0; i < 5; i++) await settle(1);
    const idle = listeners(ac.signal);
    expect(idle).toBeLessThanOrEqual(3);
    ac.abort();
    await settle();
    takeAll(out);
    await run();
  });
});

describe('toWritable and withTimeout', () => {
  function sink(): Writable {
    return new Writable({ objectMode: true, write: (_c, _e, cb) => cb() });
  }

  test('toWritable: after the channel’s end, the stream going away, and abort, no listener is left', async () => {
    const ac = new AbortController();
    expect(await toWritable(closedWith('a', 'b'), sink(), { signal: ac.signal })).toBe(2);
    expect(listeners(ac.signal)).toBe(0);
    const gone = sink();
    const p = toWritable(new Channel<string>(), gone, { signal: ac.signal });
    gone.destroy();
    await rejection(p);
    expect(listeners(ac.signal)).toBe(0);
    const q = toWritable(new Channel<string>(), sink(), { signal: ac.signal });
    ac.abort();
    expect(await rejection(q)).toBe(ac.signal.reason);
    expect(listeners(ac.signal)).toBe(0);
  });

  test('withTimeout: after success, timeout, failure and abort, no listener and no timer is left', async () => {
    const ac = new AbortController();
    expect(await withTimeout(1000, () => 1, { signal: ac.signal })).toBe(1);
    expect(listeners(ac.signal)).toBe(0);
    await rejection(withTimeout(1, (signal) => sleep(1000, { signal }), { signal: ac.signal }));
    expect(listeners(ac.signal)).toBe(0);
    await rejection(withTimeout(1000, () => Promise.reject(new Error('no')), { signal: ac.signal }));
    expect(listeners(ac.signal)).toBe(0);
    const p = withTimeout(1000, (signal) => sleep(1000, { signal }), { signal: ac.signal });
    ac.abort();
    await rejection(p);
    expect(listeners(ac.signal)).toBe(0);
    await expect(withTimeout(1, () => 1, { signal: 5 as never })).rejects.toThrow(/withTimeout\(\): option "signal" must be an AbortSignal, received 5/);
  });
});
