import { Channel, run, sleep, tasklet, TimeoutError, withTimeout } from '../../lib/index';
import { leftovers, rejection } from '../helpers';

describe('withTimeout', () => {
  test('resolves with the operation’s result in time, and clears its timer', async () => {
    const ch = new Channel<number>({ capacity: 1 });
    ch.trySend(7);
    expect(await withTimeout(1000, (signal) => ch.receive({ signal }))).toBe(7);
    expect(leftovers().timers).toBe(0);
  });

  test('times out with TimeoutError, leaving the channel as if never tried', async () => {
    const ch = new Channel<number>({ name: 'replies' });
    const e = await rejection(withTimeout(20, (signal) => ch.receive({ signal })));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.ms).toBe(20);
    expect(e.message).toBe('withTimeout(): timed out after 20 ms');
    expect(ch.balance).toBe(0);
    expect(ch.trySend(1)).toBe(false);
  });

  test('a tasklet waiting under a time limit is waiting on a timer, not deadlocked', async () => {
    const ch = new Channel<number>();
    const t = tasklet(async () => withTimeout(20, (signal) => ch.receive({ signal })).catch((e) => e))();
    await run();
    expect(await t.join()).toBeInstanceOf(TimeoutError);
  });

  test('an outer signal aborts it too; errors of the operation pass through', async () => {
    const ac = new AbortController();
    const p = withTimeout(10_000, (signal) => sleep(10_000, { signal }), { signal: ac.signal });
    ac.abort(new Error('outer'));
    expect((await rejection(p)).message).toBe('outer');
    expect(leftovers().timers).toBe(0);
    const boom = new Error('boom');
    expect(
      await rejection(
        withTimeout(100, () => {
          throw boom;
        }),
      ),
    ).toBe(boom);
  });

  test('bad arguments', async () => {
    await expect(withTimeout(-1, () => 1)).rejects.toThrow(/withTimeout\(\): ms must be a non-negative number of milliseconds, received -1/);
    await expect(withTimeout(1, 'x' as never)).rejects.toThrow(/operation must be a function, received "x"/);
  });
});
