/**
 * The watchdog (lib/inspect/watchdog.ts): slices longer than the limit are reported, naming
 * the tasklet and how its slice ended; short ones are not.
 */
import { Channel, type Overrun, run, schedule, startWatchdog, tasklet } from '../../lib/index';
import { S } from '../../lib/core/loop';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('a tasklet that holds the loop longer than the slice is reported once, with how it let go', async () => {
  const overruns: Overrun[] = [];
  const stop = startWatchdog({ slice: 25, onOverrun: (o) => overruns.push(o) });
  try {
    const work = new Channel<number>({ name: 'work' });
    tasklet(
      async () => {
        busy(60);
        await work.send(1);
      },
      { name: 'hog' },
    )();
    tasklet(
      async () => {
        for (let i = 0; i < 5; i++) await schedule();
        await work.receive();
      },
      { name: 'nice' },
    )();
    await run();
  } finally {
    stop();
  }
  expect(overruns).toHaveLength(1);
  expect(overruns[0]).toMatchObject({ tasklet: { name: 'hog' }, limit: 25, ended: 'parked on channel "work"' });
  expect(overruns[0].ms).toBeGreaterThanOrEqual(60);
  expect(S.watcher).toBeNull();
});

test('by default it warns on the console; a finishing slice says so; bad options are refused', async () => {
  const warned: unknown[][] = [];
  const warn = jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warned.push(args));
  const stop = startWatchdog({ slice: 10 });
  try {
    await tasklet(async () => busy(30), { name: 'cruncher' })().join();
  } finally {
    stop();
    warn.mockRestore();
  }
  expect(warned).toHaveLength(1);
  expect(String(warned[0][0])).toMatch(/^tasklets: tasklet "cruncher" \(#\d+\) held the loop for \d+\.\d ms \(limit 10 ms\) before it finished$/);
  expect(() => startWatchdog({ slice: -1 })).toThrow(/option "slice" must be a non-negative number of milliseconds, received -1/);
  expect(() => startWatchdog({ slice: 5, onOverrun: 3 as never })).toThrow(TypeError);
  expect(S.watcher).toBeNull();
});
