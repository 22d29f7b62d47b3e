/**
 * Issue 13.3: leaving a `for await` over a toolbox output releases what feeds it.
 *
 * Before: `break` out of `fromReadable(createReadStream(f))` left the stream open and the
 * pump parked (a `DeadlockError` blaming the library's own pump); `fromIterable(gen())`
 * never ran the generator's `finally` and `run()` rejected with `DeadlockError`. Each
 * test here breaks out early and checks that the source is released (stream destroyed,
 * `finally` ran, listeners gone), that no tasklet of the toolbox is left parked (`run()`
 * resolves), and what became of every value.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broadcast, Channel, fromIterable, merge, pipeline, PubSub, run, tasklet, ticker } from '../../lib/index';
import { fromEvent, fromReadable } from '../../lib/node';
import { main as leavingEarly } from '../../examples/leaving-early';
import { drain, leftovers, settle, takeAll } from '../helpers';

/** Receives with `for await` until `n` values came, then breaks. */
function firstN<T>(ch: Channel<T>, n: number): Promise<T[]> {
  return tasklet(async () => {
    const got: T[] = [];
    for await (const v of ch) {
      got.push(v);
      if (got.length === n) break;
    }
    return got;
  })().join();
}

describe('fromReadable and fromIterable: break releases the source', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tasklets-leave-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('fromReadable(createReadStream(f)): break after 3 chunks destroys the stream; run() resolves', async () => {
    const file = join(dir, 'data.txt');
    writeFileSync(file, 'x'.repeat(64 * 1024));
    const stream = createReadStream(file, { highWaterMark: 1024 });
    const chunks = await firstN(fromReadable<Buffer>(stream), 3);
    expect(chunks.map((c) => c.length)).toEqual([1024, 1024, 1024]);
    await settle();
    expect(stream.destroyed).toBe(true);
    await run(); // before: DeadlockError naming the fromReadable pump
  });

  test('fromReadable on a stream that waits for data: break destroys it at once', async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough({ objectMode: true });
    stream.write('a');
    const ch = fromReadable<string>(stream);
    expect(await firstN(ch, 1)).toEqual(['a']);
    await settle();
    expect(stream.destroyed).toBe(true);
    expect(ch.closed).toBe(true);
    await run();
  });

  test.each([0, 2])('fromIterable(gen()), capacity %p: break runs the generator’s finally; buffered values stay receivable', async (capacity) => {
    let finalized = false;
    let read = 0;
    function* gen(): Generator<number> {
      try {
        for (;;) yield read++;
      } finally {
        finalized = true;
      }
    }
    const ch = fromIterable(gen(), { capacity });
    expect(await firstN(ch, 3)).toEqual([0, 1, 2]);
    await settle();
    expect(finalized).toBe(true);
    expect(ch.closing).toBe(true);
    // what was in the buffer is still there; the one item the pump was offering went with the generator
    const rest = takeAll(ch);
    expect(rest).toEqual(Array.from({ length: rest.length }, (_, i) => 3 + i));
    expect(read - 3 - rest.length).toBeLessThanOrEqual(1);
    await run(); // before: DeadlockError
  });

  test('fromIterable(async generator): break runs its finally', async () => {
    let finalized = false;
    async function* gen(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finalized = true;
      }
    }
    expect(await firstN(fromIterable(gen()), 2)).toEqual([0, 1]);
    await settle();
    expect(finalized).toBe(true);
    await run();
  });

  test('shared by two readers: the source is released when the last one leaves', async () => {
    let finalized = false;
    function* gen(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finalized = true;
      }
    }
    const ch = fromIterable(gen(), { capacity: 1 });
    const a = ch[Symbol.asyncIterator]();
    const b = ch[Symbol.asyncIterator]();
    expect([(await a.next()).value, (await b.next()).value, (await a.next()).value]).toEqual([0, 1, 2]);
    await a.return!();
    await settle();
    expect(finalized).toBe(false); // b still reads
    expect((await b.next()).value).toBe(3);
    await b.return!();
    await settle();
    expect(finalized).toBe(true);
    await run();
  });

  test('closing the channel from the receiving side releases the source at once, with no one draining', async () => {
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
    await settle();
    expect(ch.balance).toBe(1); // the pump is parked offering 1
    ch.close();
    await settle();
    expect(finalized).toBe(true);
    await run(); // before: DeadlockError (the pump parked on a channel nobody reads)
  });
});

describe('fromEvent: break removes every listener', () => {
  test('the event, closeOn and errorOn listeners are gone; run() resolves', async () => {
    const em = new EventEmitter();
    const ch = fromEvent<number>(em, 'data', { closeOn: ['end'] });
    const timer = setInterval(() => em.emit('data', 1), 1);
    try {
      expect(await firstN(ch, 3)).toEqual([1, 1, 1]);
    } finally {
      clearInterval(timer);
    }
    expect(em.listenerCount('data')).toBe(0);
    expect(em.listenerCount('end')).toBe(0);
    expect(em.listenerCount('error')).toBe(0);
    expect(ch.closing).toBe(true);
    await run();
  });
});

describe('merge: break stops the merge, the inputs stay open with their values', () => {
  test('at most the one value in hand is dropped; the rest stays in the inputs', async () => {
    const a = new Channel<string>({ capacity: Infinity });
    const b = new Channel<string>({ capacity: Infinity });
    for (let i = 0; i < 5; i++) {
      a.trySend(`a${i}`);
      b.trySend(`b${i}`);
    }
    const got = await firstN(merge([a, b]), 3);
    await settle();
    expect(a.closing || b.closing).toBe(false);
    const left = [...takeAll(a), ...takeAll(b)];
    expect(got.length + left.length).toBeGreaterThanOrEqual(9);
    expect(new Set([...got, ...left]).size).toBe(got.length + left.length); // nothing twice
    await run(); // before: DeadlockError naming the merge tasklet
  });
});

describe('pipeline: break stops it as an abort would', () => {
  test('fn’s signal aborts, the input keeps the values not taken; run() resolves', async () => {
    const input = new Channel<number>({ capacity: Infinity });
    for (let i = 0; i < 20; i++) input.trySend(i);
    const aborted: number[] = [];
    const out = pipeline(
      3,
      async (v: number, signal: AbortSignal) => {
        if (v >= 1) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        if (signal.aborted) aborted.push(v);
        return v * 10;
      },
      input,
    );
    expect(await firstN(out, 1)).toEqual([0]);
    await settle();
    expect(out.closing).toBe(true);
    expect(aborted).toEqual([1, 2]); // the values in flight: fn was told, their results dropped
    expect(input.closing).toBe(false);
    expect(takeAll(input)).toEqual(Array.from({ length: 17 }, (_, i) => 3 + i)); // the rest stays
    await run(); // before: DeadlockError naming the pipeline's tasklets
  });
});

describe('Broadcast and PubSub: a subscriber that breaks is unsubscribed; the others go on', () => {
  test('Broadcast: the tap is closed and untapped; the other tap gets everything; run() resolves at the source’s end', async () => {
    const src = new Channel<number>({ capacity: Infinity });
    const b = new Broadcast(src);
    const quitter = b.tap();
    const stayer = b.tap({ capacity: Infinity });
    for (let i = 0; i < 6; i++) src.trySend(i);
    expect(await firstN(quitter, 2)).toEqual([0, 1]);
    await settle();
    expect(quitter.closing).toBe(true);
    expect(b.size).toBe(1);
    src.close();
    expect(await drain(stayer)).toEqual([0, 1, 2, 3, 4, 5]);
    await run(); // before: the broadcast stayed parked delivering to the quitter
  });

  test('Broadcast: when the last tap leaves, it waits for the next one, and still ends with the source', async () => {
    const src = new Channel<number>({ capacity: Infinity });
    const b = new Broadcast(src);
    const only = b.tap();
    src.trySend(1);
    expect(await firstN(only, 1)).toEqual([1]);
    src.trySend(2);
    await settle();
    expect(b.size).toBe(0);
    const late = b.tap({ capacity: Infinity });
    src.close();
    expect(await drain(late)).toEqual([2]); // kept for the next subscriber, not lost
    await run();
  });

  test('PubSub: the subscriber is closed and unsubscribed; the others go on', async () => {
    const src = new Channel<{ topic: string; n: number }>({ capacity: Infinity });
    const bus = new PubSub(src, (m) => m.topic);
    const quitter = bus.subscribe('a');
    const stayer = bus.subscribe('a', { capacity: Infinity });
    for (let n = 0; n < 4; n++) src.trySend({ topic: 'a', n });
    expect((await firstN(quitter, 1)).map((m) => m.n)).toEqual([0]);
    await settle();
    expect(quitter.closing).toBe(true);
    src.close();
    expect((await drain(stayer)).map((m) => m.n)).toEqual([0, 1, 2, 3]);
    await run();
  });
});

describe('ticker: break leaves nothing running', () => {
  test('no timer is left armed and run() resolves; the ticker itself stays usable until stopped', async () => {
    const t = ticker(2);
    expect(await firstN(t, 2)).toHaveLength(2);
    expect(leftovers().timers).toBe(0);
    await run();
    t.stop();
  });
});

describe('examples/leaving-early.ts (docs/06-toolbox.md)', () => {
  test('the generator is closed at the break and run() resolves', async () => {
    expect(await leavingEarly('line 2', () => {})).toEqual(['line 0', 'line 1', 'line 2', 'generator closed', 'done']);
  });
});
