/**
 * Regression: `sendSequence(items, { signal })` with a signal already aborted took the
 * first item from the iterable, dropped it and closed the iterable. SPEC: an operation
 * whose signal is already aborted rejects at once, without effect. Now it takes
 * nothing; aborted later it stops before taking another item, and the returned
 * promise's `sent` says how many items were sent (the rejection reason stays the
 * caller's `signal.reason`, untouched).
 */
import { Channel, tasklet } from '../../lib/index';
import { idle } from '../helpers';

function tracked(n: number): { items: Iterable<number>; taken: number[]; closed: () => boolean } {
  const taken: number[] = [];
  let closed = false;
  function* gen(): Generator<number> {
    try {
      for (let i = 0; i < n; i++) {
        taken.push(i);
        yield i;
      }
    } finally {
      closed = true;
    }
  }
  return { items: gen(), taken, closed: () => closed };
}

test('already aborted: rejects with signal.reason and takes nothing from the iterable', async () => {
  const ch = new Channel<number>({ capacity: Infinity });
  const reason = new Error('stop');
  const { items, taken } = tracked(3);
  const job = ch.sendSequence(items, { signal: AbortSignal.abort(reason) });
  await expect(job).rejects.toBe(reason);
  expect(taken).toEqual([]);
  expect(job.sent).toBe(0);
  expect(ch.length).toBe(0);
  // The iterable is untouched: it still yields everything.
  expect([...items]).toEqual([0, 1, 2]);
});

test('already aborted, async iterable: nothing taken', async () => {
  const ch = new Channel<number>();
  let pulled = 0;
  const items = {
    [Symbol.asyncIterator]() {
      return { next: async () => (pulled++, { value: 1, done: false }) };
    },
  };
  await expect(ch.sendSequence(items, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  expect(pulled).toBe(0);
});

test('aborted while a send is parked: rejects with the reason, sent counts the items delivered, the iterable is closed', async () => {
  const ch = new Channel<number>({ capacity: 1 });
  const controller = new AbortController();
  const { items, taken, closed } = tracked(10);
  const job = ch.sendSequence(items, { signal: controller.signal });
  await idle(); // 0 buffered, 1 parked
  expect(job.sent).toBe(1);
  expect(ch.balance).toBe(1);
  const reason = new Error('enough');
  controller.abort(reason);
  await expect(job).rejects.toBe(reason);
  expect(job.sent).toBe(1);
  expect(taken).toEqual([0, 1]);
  expect(closed()).toBe(true);
  expect(ch.balance).toBe(0);
  expect(ch.tryReceive()).toEqual({ ok: true, value: 0 });
  expect(ch.tryReceive().ok).toBe(false);
});

test('aborted between items: stops before taking the next one', async () => {
  const ch = new Channel<number>();
  const controller = new AbortController();
  const { items, taken } = tracked(10);
  const job = ch.sendSequence(items, { signal: controller.signal });
  const failure = job.then(
    () => 'resolved',
    (e: unknown) => e,
  );
  const consumer = tasklet(async () => {
    expect(await ch.receive()).toBe(0);
    expect(await ch.receive()).toBe(1);
    controller.abort();
  })();
  await consumer.join();
  expect(await failure).toBe(controller.signal.reason);
  expect(job.sent).toBe(2);
  expect(taken.length).toBeLessThanOrEqual(3);
  expect(ch.balance).toBe(0);
});

test('a completed sequence: sent equals the count it resolves with', async () => {
  const ch = new Channel<number>({ capacity: Infinity });
  const job = ch.sendSequence([1, 2, 3]);
  expect(await job).toBe(3);
  expect(job.sent).toBe(3);
});
