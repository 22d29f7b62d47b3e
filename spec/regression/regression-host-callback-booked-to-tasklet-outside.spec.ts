/**
 * Regression: while a tasklet's slice was still counted as running because it awaited
 * something outside the library (a timer, I/O, a foreign promise), every timer or I/O
 * callback the host ran before the loop's next pulse was taken for that tasklet's code:
 * `getCurrent()` named it in plain code, plain code's operations were booked to it
 * (`blocked`, `kill()`), and two tasklets resumed by one plain promise saw each other.
 * The loop now lets a party go outside as soon as the microtask queue drains with its
 * slice unfinished, before the host runs anything else, and a tasklet back from outside
 * is recognised by each of its calls, not once for a whole slice (lib/core/outside.ts).
 */
import { promises as fsp } from 'node:fs';
import { Channel, DeadlockError, getCurrent, run, schedule, tasklet } from '../../lib/index';
import type { Tasklet } from '../../lib/index';

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

describe('plain code that the host runs while a tasklet awaits outside', () => {
  test('1. a timer callback in the same host turn is plain code: getCurrent() is undefined', async () => {
    const seen: Array<string | undefined> = [];
    let t: Tasklet | undefined;
    setTimeout(() => {
      t = tasklet(
        async () => {
          await timer(20);
        },
        { name: 't' },
      )();
    }, 5);
    setTimeout(() => seen.push(getCurrent()?.name ?? 'plain'), 5);
    await timer(40);
    await t!.join();
    expect(seen).toEqual(['plain']);
  });

  test("2. plain code's receive in a later callback is its own, not the waiting tasklet's", async () => {
    const ch = new Channel<string>({ name: 'c' });
    let worker: Tasklet | undefined;
    let plain: Promise<string> | undefined;
    const log: string[] = [];
    setTimeout(() => {
      worker = tasklet(
        async () => {
          await timer(20);
          await schedule(); // a kill owed while it waited outside lands here
          log.push('worker back');
        },
        { name: 'worker' },
      )();
    }, 5);
    setTimeout(() => {
      plain = ch.receive();
    }, 5);
    await timer(10);
    // 1. the plain receive is parked, and it is plain code's: the worker is not blocked.
    expect(ch.balance).toBe(-1);
    expect(worker!.blocked).toBe(false);
    // 2. killing the worker does not touch the plain receive.
    await worker!.kill();
    expect(log).toEqual([]);
    expect(ch.balance).toBe(-1);
    // 3. the plain receive still gets its value.
    expect(ch.trySend('v')).toBe(true);
    expect(await plain!).toBe('v');
  });

  test('3. two tasklets resumed by one promise that a plain timer settles each see themselves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: Array<[string, string | undefined]> = [];
    const body = async (name: string) => {
      await gate;
      seen.push([name, getCurrent()?.name]);
      await schedule();
      seen.push([name, getCurrent()?.name]);
    };
    const a = tasklet(body, { name: 'a' })('a');
    const b = tasklet(body, { name: 'b' })('b');
    setTimeout(release, 5);
    await run();
    expect(seen).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(a.alive || b.alive).toBe(false);
  });

  test('4. the second of them parking for ever is a DeadlockError naming it, and kill() ends it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ch = new Channel({ name: 'never' });
    const a = tasklet(
      async () => {
        await gate;
        getCurrent();
      },
      { name: 'a' },
    )();
    const b = tasklet(
      async () => {
        await gate;
        await ch.receive();
      },
      { name: 'b' },
    )();
    setTimeout(release, 5);
    const error = await rejection(run());
    expect(error).toBeInstanceOf(DeadlockError);
    expect((error as DeadlockError).tasklets).toEqual([b]);
    expect(b.blocked).toBe(true);
    expect(a.alive).toBe(false);
    await b.kill();
    expect(b.alive).toBe(false);
  });

  test('5. eight tasklets each reading a file, then awaiting an immediate, always see themselves', async () => {
    const wrong: string[] = [];
    const body = async (i: number) => {
      for (let round = 0; round < 3; round++) {
        await fsp.readFile(__filename);
        if (getCurrent()?.name !== `r${i}`) wrong.push(`r${i} after readFile saw ${getCurrent()?.name}`);
        await immediate();
        if (getCurrent()?.name !== `r${i}`) wrong.push(`r${i} after setImmediate saw ${getCurrent()?.name}`);
      }
    };
    for (let i = 0; i < 8; i++) tasklet(body, { name: `r${i}` })(i);
    await run();
    expect(wrong).toEqual([]);
  });

  test('6. where the stack cannot tell (a promise with a second reaction), the caller is plain code, never another tasklet', async () => {
    const seen: Array<string | undefined> = [];
    const helper = async () => {
      await timer(10);
      seen.push(getCurrent()?.name);
    };
    const other = tasklet(
      async () => {
        await timer(15); // waits outside at the same time
      },
      { name: 'other' },
    )();
    const t = tasklet(
      async () => {
        const p = helper();
        p.catch(() => {}); // a second reaction: V8's async stack trace stops at p
        await p;
      },
      { name: 't' },
    )();
    await run();
    expect(seen).toEqual([undefined]);
    expect(other.alive || t.alive).toBe(false);
  });

  test('7. plain code that breaks out of a for await, kills the producer and awaits is still plain code', async () => {
    const ch = new Channel<number>({ name: 'c' });
    const producer = tasklet(
      async () => {
        for (let i = 0; ; i++) await ch.send(i);
      },
      { name: 'producer' },
    )();
    const seen: number[] = [];
    for await (const v of ch) {
      seen.push(v);
      if (v === 3) break;
    }
    const before = getCurrent();
    await producer.kill();
    const after = getCurrent();
    await run(); // would throw "run(): called from inside tasklet …" if the kill were booked to the producer
    expect([before, after, seen]).toEqual([undefined, undefined, [0, 1, 2, 3]]);
  });

  test('8. a timer armed by a running tasklet that then awaits outside fires as plain code, before the next pulse', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const t = tasklet(
      async () => {
        setTimeout(() => seen.push(getCurrent()?.name ?? 'plain'), 0); // host code, whoever armed it
        for (const end = Date.now() + 5; Date.now() < end;); // due by the next timers phase, which comes before the next pulse
        await new Promise<void>((resolve) => (release = resolve)); // outside: the slice ends at the drain
      },
      { name: 't' },
    )();
    await timer(20);
    release();
    await run();
    expect(seen).toEqual(['plain']);
    expect(t.alive).toBe(false);
  });
});
