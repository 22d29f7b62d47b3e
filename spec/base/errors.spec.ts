/**
 * Bad arguments (SPEC.md "Errors"): each is a TypeError or a RangeError whose message
 * names the argument and the value received, and leaves every state as it was.
 * Harmless misuses stay harmless. Also: the error classes themselves.
 */
import { Channel, ChannelClosedError, DeadlockError, getRunCount, run, TaskletExit, tasklet } from '../../lib/index';
import { loopStats } from '../../lib/inspect/invariants';
import { failure, idle } from '../helpers';

/**
 * `fn` fails (throws, or returns a rejected promise) with an error of class `kind`
 * whose message matches every pattern: the argument's name and the value received.
 */
async function expectBad(fn: () => unknown, kind: typeof TypeError | typeof RangeError, ...patterns: RegExp[]): Promise<void> {
  const error = await failure(fn);
  expect(error).toBeInstanceOf(kind);
  for (const p of patterns) expect((error as Error).message).toMatch(p);
}

describe('tasklet()', () => {
  test.each([
    [42, /42/],
    ['run', /"run"/],
    [null, /null/],
    [undefined, /undefined/],
    [{}, /object/],
    [Promise.resolve(), /Promise/],
  ])('fn = %p: TypeError naming fn and the value; no tasklet is created', async (fn, received) => {
    const before = loopStats();
    await expectBad(() => tasklet(fn as never), TypeError, /\bfn\b/, received);
    expect(loopStats()).toEqual(before);
  });

  test.each<[unknown, ...RegExp[]]>([
    [5, /options/, /5/],
    ['worker', /options/, /"worker"/],
    [null, /options/, /null/],
    [{ name: 5 }, /name/, /5/],
    [{ name: null }, /name/, /null/],
    [{ nmae: 'typo' }, /nmae/],
  ])('options = %p: TypeError naming the option and the value', async (options, ...patterns) => {
    const before = loopStats();
    await expectBad(() => tasklet(async () => {}, options as never), TypeError, ...patterns);
    expect(loopStats()).toEqual(before);
    expect(getRunCount()).toBe(0);
  });
});

describe('new Channel()', () => {
  test.each([
    [-1, /-1/],
    [1.5, /1\.5/],
    [NaN, /NaN/],
    [-Infinity, /-Infinity/],
  ])('capacity %p: RangeError naming capacity and the value', async (capacity, received) => {
    await expectBad(() => new Channel({ capacity }), RangeError, /capacity/, received);
  });

  test.each([
    ['3', /"3"/],
    [true, /true/],
    [{}, /object/],
  ])('capacity %p: TypeError naming capacity and the value', async (capacity, received) => {
    await expectBad(() => new Channel({ capacity: capacity as never }), TypeError, /capacity/, received);
  });

  test.each([
    [2, RangeError, /2/],
    [-2, RangeError, /-2/],
    [0.5, RangeError, /0\.5/],
    [NaN, RangeError, /NaN/],
    ['1', TypeError, /"1"/],
    [true, TypeError, /true/],
  ] as const)('preference %p: %p naming preference and the value', async (preference, kind, received) => {
    await expectBad(() => new Channel({ preference: preference as never }), kind, /preference/, received);
  });

  test.each([
    [2, RangeError, /2/],
    ['1', TypeError, /"1"/],
    [null, TypeError, /null/],
  ] as const)('setting preference to %p: %p naming preference and the value; the preference stays', async (preference, kind, received) => {
    const ch = new Channel({ preference: 1 });
    await expectBad(() => (ch.preference = preference as never), kind, /preference/, received);
    expect(ch.preference).toBe(1);
  });

  test.each<[unknown, typeof TypeError | typeof RangeError, ...RegExp[]]>([
    [{ overflow: 'drop' }, RangeError, /overflow/, /"drop"/],
    [{ overflow: 1 }, TypeError, /overflow/, /1/],
    [{ overflow: 'dropOldest' }, RangeError, /overflow/, /capacity/],
    [{ capacity: 0, overflow: 'dropNewest' }, RangeError, /overflow/, /capacity/],
    [{ name: 7 }, TypeError, /name/, /7/],
    [{ capcity: 1 }, TypeError, /capcity/],
    [5, TypeError, /options/, /5/],
    [null, TypeError, /options/, /null/],
  ])('options %p: %p', async (options, kind, ...patterns) => {
    await expectBad(() => new Channel(options as never), kind, ...patterns);
  });

  test('good options are taken as given', () => {
    const ch = new Channel({ capacity: 3, preference: 0, name: 'ok', overflow: 'dropOldest' });
    expect([ch.capacity, ch.preference, ch.name]).toEqual([3, 0, 'ok']);
    expect(new Channel({ capacity: Infinity }).capacity).toBe(Infinity);
    expect(new Channel({}).capacity).toBe(0);
  });
});

describe('channel operations', () => {
  const badSignals: [unknown, RegExp][] = [
    [{}, /object/],
    ['abort', /"abort"/],
    [null, /null/],
    [5, /5/],
    [{ aborted: false }, /object/],
  ];

  test.each(badSignals)('send with signal %p: TypeError naming signal; a parked receiver is not fed', async (signal, received) => {
    const ch = new Channel<string>();
    const receiver = tasklet(async () => ch.receive())();
    await idle();
    await expectBad(() => ch.send('x', { signal: signal as never }), TypeError, /signal/, received);
    await expectBad(() => ch.sendThrow(new Error('e'), { signal: signal as never }), TypeError, /signal/, received);
    await expectBad(() => ch.sendSequence(['x'], { signal: signal as never }), TypeError, /signal/, received);
    await idle();
    expect(receiver.blocked).toBe(true);
    expect(ch.balance).toBe(-1);
    await ch.send('kept');
    expect(await receiver.join()).toBe('kept');
  });

  test.each(badSignals)('receive with signal %p: TypeError naming signal; nothing is taken', async (signal, received) => {
    const ch = new Channel<string>({ capacity: 1 });
    ch.trySend('kept');
    await expectBad(() => ch.receive({ signal: signal as never }), TypeError, /signal/, received);
    expect(ch.length).toBe(1);
    expect(ch.tryReceive()).toEqual({ ok: true, value: 'kept' });
    // On an empty channel it does not park either.
    await expectBad(() => ch.receive({ signal: signal as never }), TypeError, /signal/);
    expect(ch.balance).toBe(0);
  });

  test.each([
    [() => new Channel().send(1, { signl: undefined } as never), /signl/],
    [() => new Channel().receive({ timeout: 5 } as never), /timeout/],
    [() => new Channel().send(1, 5 as never), /options/],
    [() => new Channel().receive('fast' as never), /options/],
  ])('unknown or malformed operation options: TypeError (%#)', async (fn, pattern) => {
    await expectBad(fn, TypeError, pattern);
    expect(loopStats().parkedPlain).toBe(0);
  });

  test.each([
    ['a string', 'RangeError', /"RangeError"/],
    ['a number', 42, /42/],
    ['null', null, /null/],
    ['undefined', undefined, /undefined/],
    ['an object', {}, /object/],
  ])('sendException with %s: TypeError naming ErrorClass and the value; nothing is sent', async (_, ErrorClass, received) => {
    const ch = new Channel<number>({ capacity: 1 });
    await expectBad(() => ch.sendException(ErrorClass as never), TypeError, /ErrorClass/, received);
    expect(ch.length).toBe(0);
  });

  test.each([
    [42, /42/],
    [null, /null/],
    [undefined, /undefined/],
    [{}, /object/],
    [{ next() {} }, /object/],
  ])('sendSequence(%p): TypeError naming items and the value; nothing is sent', async (items, received) => {
    const ch = new Channel<number>({ capacity: 5 });
    await expectBad(() => ch.sendSequence(items as never), TypeError, /items/, received);
    expect(ch.length).toBe(0);
  });
});

describe('each message names the operation that failed', () => {
  test('operations on a closed channel', async () => {
    const ch = new Channel<number>({ name: 'shut' });
    ch.close();
    const messages = [
      (await failure(() => ch.send(1))) as Error,
      (await failure(() => ch.sendThrow(new Error('x')))) as Error,
      (await failure(() => ch.sendException(RangeError, 'x'))) as Error,
      (await failure(() => ch.trySend(1))) as Error,
    ].map((e) => (e instanceof ChannelClosedError ? e.message : `not a ChannelClosedError: ${e}`));
    expect(messages).toEqual([
      'send(): send on closed channel "shut"',
      'sendThrow(): send on closed channel "shut"',
      'sendException(): send on closed channel "shut"',
      'trySend(): send on closed channel "shut"',
    ]);
  });

  test('bad options of the constructor', async () => {
    await expectBad(() => new Channel({ capacity: -1 }), RangeError, /^new Channel\(\): option "capacity" /);
    await expectBad(() => new Channel({ name: 5 } as never), TypeError, /^new Channel\(\): .*name/);
  });

  test('bad options', async () => {
    const ch = new Channel<number>({ capacity: 1 });
    await expectBad(() => ch.receive(5 as never), TypeError, /^receive\(\): options must be an object, received 5$/);
    await expectBad(() => ch.sendSequence([1], 5 as never), TypeError, /^sendSequence\(\): options must be an object, received 5$/);
    await expectBad(() => (ch.preference = 5 as never), RangeError, /^channel\.preference: preference must be -1, 0 or 1, received 5$/);
    expect([ch.length, ch.preference]).toEqual([0, -1]);
  });

  test("a constructor that throws: sendException lets the constructor's own error through, and sends nothing", async () => {
    const ch = new Channel<number>({ capacity: 1 });
    const own = new TypeError('bad arguments for MyError');
    class MyError extends Error {
      constructor() {
        super('never built');
        throw own;
      }
    }
    class Picky extends Error {
      constructor(code: number) {
        super(`code ${code}`);
        if (code < 0) throw new RangeError('code must not be negative');
      }
    }
    expect(await failure(() => ch.sendException(MyError))).toBe(own);
    await expectBad(() => ch.sendException(Picky, -1), RangeError, /^code must not be negative$/);
    expect(ch.length).toBe(0);
  });
});

describe('run() from inside a tasklet', () => {
  test('is a TypeError naming run() and the tasklet; the tasklet and the loop carry on', async () => {
    const t = tasklet(
      async () => {
        const error = await failure(() => run());
        return error;
      },
      { name: 'impatient' },
    )();
    const error = (await t.join()) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/run\(\)/);
    expect(error.message).toMatch(/impatient/);
    expect(loopStats().pendingRuns).toBe(0);
    await expect(run()).resolves.toBeUndefined();
  });
});

describe('harmless misuses stay harmless', () => {
  test('close() twice, open() on an open channel', async () => {
    const ch = new Channel<number>({ capacity: 1 });
    ch.open();
    ch.trySend(1);
    ch.close();
    expect(() => ch.close()).not.toThrow();
    expect(ch.tryReceive()).toEqual({ ok: true, value: 1 });
    expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
  });

  test('kill() and throw() of a finished tasklet resolve and change nothing', async () => {
    const t = tasklet(async () => 'done')();
    await t.join();
    await expect(t.kill()).resolves.toBeUndefined();
    await expect(t.throw(new Error('late'))).resolves.toBeUndefined();
    expect(await t.join()).toBe('done');
  });

  test('kill() twice on a parked tasklet', async () => {
    const ch = new Channel();
    const t = tasklet(async () => ch.receive())();
    await idle();
    await Promise.all([t.kill(), t.kill()]);
    expect(t.alive).toBe(false);
    expect(ch.balance).toBe(0);
  });
});

describe('the error classes', () => {
  test('are exported Errors with their names and a clear message', () => {
    const closed = new ChannelClosedError('send on closed channel "x"', 7);
    expect(closed).toBeInstanceOf(Error);
    expect(closed.name).toBe('ChannelClosedError');
    expect(closed.value).toBe(7);
    const deadlock = new DeadlockError('deadlock', []);
    expect(deadlock).toBeInstanceOf(Error);
    expect(deadlock.name).toBe('DeadlockError');
    expect(deadlock.tasklets).toEqual([]);
    const exit = new TaskletExit();
    expect(exit).toBeInstanceOf(Error);
    expect(exit.name).toBe('TaskletExit');
    expect(exit.message.length).toBeGreaterThan(0);
  });

  test('ChannelClosedError names the channel and carries the value of a failed send', async () => {
    const ch = new Channel<{ id: number }>({ name: 'orders' });
    ch.close();
    const order = { id: 1 };
    const error = (await failure(() => ch.send(order))) as ChannelClosedError;
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect(error.value).toBe(order);
    expect(error.message).toMatch(/orders/);
    const end = (await failure(() => ch.receive())) as ChannelClosedError;
    expect(end).toBeInstanceOf(ChannelClosedError);
    expect(end.message).toMatch(/orders/);
  });
});
