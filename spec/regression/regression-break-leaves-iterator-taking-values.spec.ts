/**
 * Issue 13.3: after `break` out of `for await (const v of ch)` — the iterator's
 * `return()` — that iterator's `next()` went on taking values from the channel. SPEC:
 * a `break` consumes nothing more, that iterator is done, and the channel stays open for
 * its other users. A `next()` parked when `return()` is called (an iterator used by
 * hand) resolves `{ done: true }` and leaves the channel as if it had never been tried.
 */
import { Channel, run, tasklet } from '../../lib/index';
import { CAPACITIES, drain, idle, settle, takeAll, watch } from '../helpers';

describe('break out of for await: that iterator is done, the channel untouched', () => {
  test.each(CAPACITIES)('capacity %p: after return(), next() reports done and takes nothing', async (capacity) => {
    const ch = new Channel<number>({ capacity });
    const producer = tasklet(async () => {
      for (let i = 1; i <= 4; i++) await ch.send(i);
    })();
    const it = ch[Symbol.asyncIterator]();
    let first: number | undefined;
    for await (const v of { [Symbol.asyncIterator]: () => it }) {
      first = v;
      break; // calls it.return()
    }
    expect(first).toBe(1);
    await settle();
    const held = ch.length + ch.balance; // values buffered or offered by the parked producer
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(ch.length + ch.balance).toBe(held); // nothing taken
    expect(ch.closing).toBe(false); // open for the others
    const other = drain(ch); // another reader gets every value left
    await producer.join();
    ch.close();
    expect(await other).toEqual([2, 3, 4]);
    await run();
  });

  test('a next() parked in a tasklet when return() is called resolves done and leaves the channel as if never tried', async () => {
    const ch = new Channel<string>();
    const it = ch[Symbol.asyncIterator]();
    const reader = tasklet(async () => it.next())();
    await idle();
    expect(ch.balance).toBe(-1);
    await it.return!();
    expect(ch.balance).toBe(0); // the parked next() left the queue
    expect(await reader.join()).toEqual({ value: undefined, done: true });
    // the value goes to the next reader, not to a promise nobody reads
    expect(ch.trySend('precious')).toBe(false);
    const other = tasklet(async () => ch.receive())();
    await idle();
    expect(ch.trySend('precious')).toBe(true);
    expect(await other.join()).toBe('precious');
    await run();
  });

  test('plain code: next()s parked in a Promise.race are taken back by return(); nothing is lost', async () => {
    const ch = new Channel<number>({ capacity: 1 });
    const it = ch[Symbol.asyncIterator]();
    const pa = it.next();
    const a = watch(pa);
    const b = watch(it.next());
    const timeout = new Promise((resolve) => setTimeout(resolve, 5, 'timeout'));
    expect(await Promise.race([pa, timeout])).toBe('timeout');
    expect(ch.balance).toBe(-2);
    await it.return!();
    await settle();
    expect(ch.balance).toBe(0);
    expect([a.value, b.value]).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    ch.trySend(7); // stays buffered for the next reader
    expect(takeAll(ch)).toEqual([7]);
    await run();
  });

  test('return() takes back only its own next(): a later receive of the same tasklet stays parked', async () => {
    const ch = new Channel<string>();
    const it = ch[Symbol.asyncIterator]();
    const got: unknown[] = [];
    const reader = tasklet(async () => {
      got.push(await it.next()); // parks, then completes with 'a'
      got.push(await ch.receive()); // the same tasklet parks again (reusing its waiter)
    })();
    await idle();
    ch.trySend('a');
    await idle();
    expect(ch.balance).toBe(-1);
    await it.return!(); // its next() completed long ago: nothing to take back
    expect(ch.balance).toBe(-1);
    ch.trySend('b');
    await reader.join();
    expect(got).toEqual([{ value: 'a', done: false }, 'b']);
    await run();
  });
});
