/**
 * Tasklets that await something outside the library (a timer here) and come back: the
 * loop recognises them by their `tasklet#<id>` frame (loop.ts `adopt()`).
 */
import { Channel, DeadlockError, getCurrent, run, tasklet } from '../../lib/index';

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('a tasklet back from awaiting a timer', () => {
  test('is the current tasklet again, and its operations are its own', async () => {
    const ch = new Channel<number>({ name: 'c' });
    const seen: unknown[] = [];
    const t = tasklet(
      async () => {
        await timer(5);
        seen.push(getCurrent());
        await ch.send(1);
        seen.push(getCurrent());
      },
      { name: 'T' },
    )();
    const r = tasklet(async () => ch.receive(), { name: 'R' })();
    await run();
    expect(seen).toEqual([t, t]);
    expect(await r.join()).toBe(1);
  });

  test('parked afterwards, it is reported in a DeadlockError instead of run() hanging', async () => {
    const ch = new Channel({ name: 'lonely' });
    const t = tasklet(
      async () => {
        await timer(5);
        await ch.receive();
      },
      { name: 'sleeper' },
    )();
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).tasklets).toEqual([t]);
    expect((error as DeadlockError).message).toMatch(/tasklet "sleeper" \(#\d+\) receives on channel "lonely"/);
    expect(t.blocked).toBe(true);
    await t.kill();
  });

  test('kill() unparks it and resolves once its finally blocks ran', async () => {
    const ch = new Channel({ name: 'c' });
    const log: string[] = [];
    const t = tasklet(async () => {
      await timer(5);
      try {
        await ch.receive();
      } finally {
        log.push('unwound');
      }
    })();
    await timer(30);
    expect(ch.balance).toBe(-1);
    await t.kill();
    expect(log).toEqual(['unwound']);
    expect(ch.balance).toBe(0);
    expect(t.alive).toBe(false);
  });

  test('killed while still outside, it gets TaskletExit at its next library operation', async () => {
    const ch = new Channel({ name: 'c' });
    let reached = false;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let outside = false;
    const t = tasklet(async () => {
      outside = true;
      await gate; // a foreign promise: the tasklet waits outside until it settles
      await ch.send('never delivered');
      reached = true;
    })();
    while (!outside) await timer(1);
    await timer(1);
    const killed = t.kill();
    setTimeout(open, 1);
    await killed;
    expect(reached).toBe(false);
    expect(ch.balance).toBe(0);
    expect(await t.join()).toBeUndefined();
  });

  test('its operations inside an async helper, and after a second wait outside, are its own', async () => {
    const ch = new Channel<string>({ name: 'c' });
    const seen: unknown[] = [];
    const helper = async (label: string): Promise<void> => {
      await timer(2);
      seen.push(getCurrent());
      await ch.send(label);
    };
    const t = tasklet(
      async () => {
        await helper('first'); // outside once, from inside the helper
        await timer(2); // outside again, from the tasklet's own code
        seen.push(getCurrent());
        await helper('second');
      },
      { name: 'T' },
    )();
    const got: string[] = [];
    const r = tasklet(
      async () => {
        got.push(await ch.receive(), await ch.receive());
      },
      { name: 'R' },
    )();
    await run();
    expect(seen).toEqual([t, t, t]);
    expect(got).toEqual(['first', 'second']);
    expect(r.alive).toBe(false);
  });

  // Stryker's instrumented build changes the frames V8 prints; the mutation
  // run skips this one test (it runs everywhere else).
  const underStryker = process.env.STRYKER_MUTATOR_WORKER !== undefined;
  (underStryker ? test.skip : test)('its stack traces name it', async () => {
    const t = tasklet(async () => {
      await timer(1);
      return new Error('here').stack;
    })();
    expect(await t.join()).toContain(`tasklet#${t.id}`);
  });
});
