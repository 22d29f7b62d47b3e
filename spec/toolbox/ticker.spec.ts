import { Channel, ChannelClosedError, run, select, tasklet, ticker } from '../../lib/index';
import { leftovers, settle } from '../helpers';

describe('ticker', () => {
  test('ticks every ms, in order, until stopped; then the channel is closed', async () => {
    const start = Date.now();
    const t = ticker(10);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await t.receive());
    t.stop();
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(times[2]).toBeGreaterThan(times[1]);
    // Ticks keep to the schedule (a late tick does not push the next ones back), so
    // only the time since the start is bounded: the third tick comes 30 ms after it.
    expect(times[2] - start).toBeGreaterThanOrEqual(28);
    await expect(t.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    expect(leftovers().timers).toBe(0);
  });

  test('an unread ticker runs no timer; a slow receiver gets one tick, not a backlog', async () => {
    // The library's own count of armed timers: other tests' host timers may come and go.
    const t = ticker(5);
    expect(leftovers().timers).toBe(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(t.length).toBe(1);
    t.tryReceive();
    expect(t.length).toBe(0);
    t.stop();
  });

  test('a tasklet selecting on a ticker waits on a timer; abort stops the ticker', async () => {
    const ac = new AbortController();
    const tick = ticker(5, { signal: ac.signal });
    const quiet = new Channel<number>();
    const t = tasklet(async () => {
      let n = 0;
      for (;;) {
        const r = await select({ q: quiet.receiveCase(), t: tick.receiveCase() });
        if (r.key === 't' && r.done) return n;
        if (++n === 3) ac.abort();
      }
    })();
    await run();
    expect(await t.join()).toBe(3);
    expect(tick.closed).toBe(true);
    await settle();
    expect(leftovers().timers).toBe(0);
  });

  test('bad arguments', () => {
    expect(() => ticker(0)).toThrow(/ticker\(\): ms must be a positive, finite number of milliseconds, received 0/);
    expect(() => ticker('1' as never)).toThrow(TypeError);
    expect(() => ticker(1, { every: 2 } as never)).toThrow(/unknown option "every"/);
  });
});
