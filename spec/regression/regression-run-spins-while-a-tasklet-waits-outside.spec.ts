/**
 * Regression: while `run()` was pending and a tasklet awaited something outside the
 * library (a timer, I/O, a foreign promise), the loop polled: each pulse found nothing
 * runnable, could not settle `run()` yet, and armed the next pulse — one `setImmediate`
 * after another, a whole CPU core busy for as long as the tasklet waited (a 500 ms
 * sleep cost 503 ms of CPU). And a tasklet awaiting a promise that never settles kept
 * the process spinning for ever instead of letting it end. Found by reading a mutant
 * that survived in `pause()` (mutation testing, lib/core/loop.ts).
 *
 * Now the pulse that finds the loop idle checks `run()` once and arms nothing; what can
 * let `run()` settle later — a tasklet ends or is paused, a library timer is cleared,
 * a tasklet comes back and parks — wakes it.
 */
import { Channel, DeadlockError, run, tasklet } from '../../lib/index';
import { rejection } from '../helpers';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts the macrotasks (`setImmediate`, the pulse's host call in Node) queued while `body` runs. */
async function countImmediates(body: () => Promise<void>): Promise<number> {
  const original = globalThis.setImmediate;
  let count = 0;
  globalThis.setImmediate = ((fn: (...args: unknown[]) => void, ...args: unknown[]) => {
    count++;
    return original(fn, ...args);
  }) as typeof setImmediate;
  try {
    await body();
  } finally {
    globalThis.setImmediate = original;
  }
  return count;
}

test('run() pending while a tasklet sleeps 100 ms on a host timer: the loop does not poll', async () => {
  const t = tasklet(async () => {
    await sleep(100);
    return 'slept';
  })();
  const immediates = await countImmediates(() => run());
  expect(await t.join()).toBe('slept');
  expect(immediates).toBeLessThan(10); // it was about one per 10 µs: thousands
});

test('the same while a tasklet awaits a foreign promise, then parks for ever: DeadlockError once it parks', async () => {
  const ch = new Channel<number>({ name: 'never' });
  let resolve!: () => void;
  const foreign = new Promise<void>((r) => (resolve = r));
  const t = tasklet(
    async () => {
      await foreign;
      await ch.receive();
    },
    { name: 'waiter' },
  )();
  const pending = rejection(run());
  const immediates = await countImmediates(() => sleep(50));
  expect(immediates).toBeLessThan(10);
  resolve();
  const e = await pending;
  expect(e).toBeInstanceOf(DeadlockError);
  expect(e.message).toContain('tasklet "waiter"');
  await t.kill();
});

test('CPU time while run() waits on a 200 ms timer is a small part of the wall time', async () => {
  tasklet(() => sleep(200))();
  const before = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(before);
  expect(wall).toBeGreaterThanOrEqual(190);
  expect((cpu.user + cpu.system) / 1000).toBeLessThan(wall / 2); // it was the whole wall time
});
