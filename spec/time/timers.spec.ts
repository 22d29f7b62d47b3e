/**
 * sleep and after: timing, timers that cost nothing when idle, and the loop counting a
 * timer wait as not-a-deadlock.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, AfterChannel, Channel, ChannelClosedError, DeadlockError, run, select, sleep, tasklet, timeoutSignal, TimeoutError, trySelect } from '../../lib/index';
import { timerStats } from '../../lib/core/loop';
import { leftovers, liveTimeouts, rejection, settle } from '../helpers';

describe('sleep', () => {
  test('resolves after ms, and the sleeper is parked meanwhile (others run)', async () => {
    const log: string[] = [];
    const t0 = performance.now();
    const t = tasklet(async () => {
      await sleep(30);
      log.push('woke');
      return performance.now() - t0;
    })();
    tasklet(async () => log.push('other ran'))();
    await run();
    expect(log).toEqual(['other ran', 'woke']);
    expect(await t.join()).toBeGreaterThanOrEqual(29);
    expect(leftovers().timers).toBe(0);
  });

  test('a sleeping tasklet is waiting on a timer, not deadlocked; run() reports the deadlock only once no timer can wake anyone', async () => {
    const never = new Channel<number>({ name: 'never' });
    const sleeper = tasklet(async () => sleep(20), { name: 'sleeper' })();
    const stuck = tasklet(async () => never.receive(), { name: 'stuck' })();
    const e = await rejection(run());
    expect(sleeper.alive).toBe(false); // run() waited for the sleep
    expect(e).toBeInstanceOf(DeadlockError);
    expect(e.tasklets).toEqual([stuck]);
    await stuck.kill();
  });

  test('abort: rejects with the reason and clears its timer', async () => {
    const ac = new AbortController();
    const before = liveTimeouts();
    const p = sleep(60_000, { signal: ac.signal });
    expect(leftovers().timers).toBe(1);
    const reason = new Error('wake up');
    ac.abort(reason);
    expect(await rejection(p)).toBe(reason);
    expect(leftovers().timers).toBe(0);
    expect(liveTimeouts()).toBeLessThanOrEqual(before); // another test's timer may end meanwhile
  });

  test('killing a sleeping tasklet clears its timer', async () => {
    const t = tasklet(async () => sleep(60_000))();
    await settle(1);
    expect(t.blocked).toBe(true);
    expect(leftovers().timers).toBe(1);
    await t.kill();
    expect(leftovers().timers).toBe(0);
  });

  test('sleep(0) resolves at once; bad ms is a TypeError/RangeError naming it', async () => {
    await expect(sleep(0)).resolves.toBeUndefined();
    expect(() => sleep('5' as never)).toThrow(/sleep\(\): ms must be a number of milliseconds, received "5"/);
    expect(() => sleep(-1)).toThrow(RangeError);
    expect(() => after(NaN)).toThrow(/after\(\): ms must be a non-negative number of milliseconds \(or Infinity\), received NaN/);
    expect(() => sleep(1, { signal: 3 } as never)).toThrow(/option "signal" must be an AbortSignal/);
  });
});

describe('after', () => {
  test('delivers one value (the time it fired) after ms, then is closed', async () => {
    const ch = after(20);
    expect(ch).toBeInstanceOf(Channel);
    expect(ch).toBeInstanceOf(AfterChannel);
    const t0 = Date.now();
    const v = await ch.receive();
    expect(typeof v).toBe('number');
    expect(v).toBeGreaterThanOrEqual(t0 + 15);
    expect(ch.closed).toBe(true);
    await expect(ch.receive()).rejects.toBeInstanceOf(ChannelClosedError);
  });

  test('for await sees exactly one value', async () => {
    const seen: number[] = [];
    for await (const v of after(5)) seen.push(v);
    expect(seen).toHaveLength(1);
  });

  test('nobody waiting: no timer runs, yet a look after the deadline finds the value', async () => {
    const before = liveTimeouts();
    const ch = after(100); // long enough that a loaded machine still looks before the deadline
    expect(leftovers().timers).toBe(0);
    expect(liveTimeouts()).toBeLessThanOrEqual(before); // another test's timer may end meanwhile
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
    await new Promise((r) => setTimeout(r, 120));
    expect(trySelect({ t: ch.receiveCase() })).toMatchObject({ key: 't', done: false });
    expect(ch.closed).toBe(true);
  });

  test('a timeout wins a select against a quiet channel, and leaves it clean', async () => {
    const quiet = new Channel<string>({ name: 'quiet' });
    const r = await select({ msg: quiet.receiveCase(), timeout: after(15).receiveCase() });
    expect(r.key).toBe('timeout');
    expect(quiet.balance).toBe(0);
    expect(leftovers().timers).toBe(0);
  });

  test('the shorter of two timeouts wins', async () => {
    const r = await select({ slow: after(60).receiveCase(), fast: after(10).receiveCase() });
    expect(r.key).toBe('fast');
    expect(leftovers().timers).toBe(0);
  });

  test('a select whose timeout loses clears its timer at once; the same timeout still fires in a later select', async () => {
    const before = liveTimeouts();
    const ch = new Channel<number>({ capacity: 1 });
    const timeout = after(30);
    const p = select({ v: ch.receiveCase(), t: timeout.receiveCase() });
    expect(leftovers().timers).toBe(1);
    ch.trySend(1);
    expect(await p).toEqual({ key: 'v', value: 1, done: false });
    expect(leftovers().timers).toBe(0);
    expect(liveTimeouts()).toBeLessThanOrEqual(before); // another test's timer may end meanwhile
    const r = await select({ v: ch.receiveCase(), t: timeout.receiveCase() });
    expect(r.key).toBe('t');
  });

  test('a tasklet parked only on after() waits on a timer, not in a deadlock; after(Infinity) is a deadlock', async () => {
    const quiet = new Channel<number>({ name: 'quiet' });
    const t = tasklet(async () => (await select({ q: quiet.receiveCase(), t: after(20).receiveCase() })).key)();
    await run();
    expect(await t.join()).toBe('t');
    const stuck = tasklet(async () => select({ q: quiet.receiveCase(), t: after(Infinity).receiveCase() }), { name: 'forever' })();
    const e = await rejection(run());
    expect(e).toBeInstanceOf(DeadlockError);
    expect(e.message).toMatch(/"forever".*receives on channel "quiet", receives on channel "after\(Infinityms\)"/);
    await stuck.kill();
  });

  test('no leak: 100,000 selects with a losing after() on a quiet channel leave no parked waiter, no live timer, and the heap flat', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const data = new Channel<number>({ name: 'data' });
    const quiet = new Channel<number>({ name: 'quiet' });
    let heapAt20k = 0;
    const rounds = 100_000;
    tasklet(
      async () => {
        for (let i = 0; i < rounds; i++) await data.send(i);
      },
      { name: 'feeder' },
    )();
    const consumer = tasklet(
      async () => {
        let sum = 0;
        for (let i = 0; i < rounds; i++) {
          const r = await select({ data: data.receiveCase(), quiet: quiet.receiveCase(), timeout: after(60_000).receiveCase() });
          if (r.key !== 'data') throw new Error(`round ${i}: ${r.key} won`);
          sum += r.value!;
          if (i === 20_000 && gc !== undefined) {
            gc();
            heapAt20k = process.memoryUsage().heapUsed;
          }
        }
        return sum;
      },
      { name: 'consumer' },
    )();
    await run();
    expect(await consumer.join()).toBe((rounds * (rounds - 1)) / 2);
    expect([quiet.balance, data.balance]).toEqual([0, 0]);
    expect(leftovers()).toEqual({ timers: 0, parkedPlain: 0 });
    if (gc !== undefined) {
      gc();
      // 80,000 rounds leaking their 2 losing waiters or their timer would be well over
      // 10 MB; allow the collector's noise well below that
      const grownMB = (process.memoryUsage().heapUsed - heapAt20k) / (1024 * 1024);
      expect({ grownMB: Math.round(grownMB * 10) / 10, flat: grownMB < 4 }).toMatchObject({ flat: true });
    }
  });

  test('a program whose only pending work is a timeout that lost exits at once', async () => {
    const script = resolve(__dirname, '../fixtures/lost-timeout.ts');
    const tsx = resolve(__dirname, '../../node_modules/.bin/tsx');
    const t0 = Date.now();
    const out = await new Promise<string>((done, fail) =>
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- execFile's error is an Error the rule does not recognise
      execFile(tsx, [script], { timeout: 15_000 }, (err, stdout) => (err ? fail(err) : done(stdout))),
    );
    expect(out.trim()).toBe('v');
    expect(Date.now() - t0).toBeLessThan(10_000); // the timeout was 60 s
  });
});

afterAll(async () => {
  await settle();
  expect(leftovers()).toEqual({ timers: 0, parkedPlain: 0 });
});

describe('timeoutSignal(ms)', () => {
  test('aborts with a TimeoutError after ms, and the parked operation leaves no trace', async () => {
    const ch = new Channel<number>({ name: 'replies' });
    const started = Date.now();
    const error = await rejection(ch.receive({ signal: timeoutSignal(20) }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.ms).toBe(20);
    expect(error.message).toBe('timeoutSignal(): timed out after 20 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(ch.balance).toBe(0);
  });

  test('a tasklet parked with it waits on a library timer: run() waits for the deadline (not so with AbortSignal.timeout)', async () => {
    const ch = new Channel<number>({ name: 'replies' });
    const t = tasklet(async () => ch.receive({ signal: timeoutSignal(20) }).catch((e: Error) => e.name), { name: 'waiter' })();
    await run();
    expect(await t.join()).toBe('TimeoutError');

    const u = tasklet(async () => ch.receive({ signal: AbortSignal.timeout(20) }).catch((e: Error) => e.name), { name: 'host-timed' })();
    const error = await rejection(run());
    expect(error).toBeInstanceOf(DeadlockError);
    expect(await u.join()).toBe('TimeoutError'); // it still fires, but run() could not know
  });

  test('its timer counts while it runs and stops counting when it fires; Infinity arms none', async () => {
    const before = timerStats();
    const signal = timeoutSignal(10);
    expect(timerStats()).toBe(before + 1);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(timerStats()).toBe(before);
    const never = timeoutSignal(Infinity);
    expect(timerStats()).toBe(before);
    expect(never.aborted).toBe(false);
  });

  test('a bad ms names the function and what it received', () => {
    expect(() => timeoutSignal('5' as unknown as number)).toThrow(new TypeError('timeoutSignal(): ms must be a number of milliseconds, received "5"'));
    expect(() => timeoutSignal(-1)).toThrow(RangeError);
    expect(() => timeoutSignal(-1)).toThrow(/timeoutSignal\(\): ms must be a non-negative number/);
  });
});
