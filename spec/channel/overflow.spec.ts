/** The channel option `overflow`: 'block' (default), 'dropOldest', 'dropNewest'. */
import { Channel, select, tasklet, trySelect } from '../../lib/index';

describe('channel option overflow', () => {
  test("'block' (the default) parks a sender on a full buffer", async () => {
    const ch = new Channel<number>({ capacity: 1, overflow: 'block' });
    ch.trySend(1);
    expect(ch.trySend(2)).toBe(false);
    const p = ch.send(2);
    expect(ch.balance).toBe(1);
    expect(await ch.receive()).toBe(1);
    await p;
    expect(await ch.receive()).toBe(2);
  });

  test("'dropOldest' (sliding) never parks: the oldest buffered value goes", async () => {
    const ch = new Channel<number>({ capacity: 2, overflow: 'dropOldest' });
    for (let i = 1; i <= 4; i++) await ch.send(i); // 1. sends resolve at once
    expect(ch.balance).toBe(0);
    expect(ch.trySend(5)).toBe(true); // 2. trySend succeeds though 3 is dropped
    expect([ch.tryReceive().value, ch.tryReceive().value, ch.length]).toEqual([4, 5, 0]);
  });

  test("'dropNewest' (dropping) never parks: the incoming value goes", async () => {
    const ch = new Channel<number>({ capacity: 2, overflow: 'dropNewest' });
    for (let i = 1; i <= 4; i++) await ch.send(i);
    expect(ch.trySend(5)).toBe(true);
    expect([ch.tryReceive().value, ch.tryReceive().value, ch.length]).toEqual([1, 2, 0]);
  });

  test.each(['dropOldest', 'dropNewest'] as const)('%s: a parked receiver gets the value directly; close still loses nothing buffered', async (overflow) => {
    const ch = new Channel<number>({ capacity: 1, overflow });
    const t = tasklet(async () => ch.receive())();
    await new Promise((r) => setImmediate(r));
    expect(ch.balance).toBe(-1);
    await ch.send(7);
    expect(await t.join()).toBe(7);
    ch.trySend(8);
    ch.close();
    expect(await ch.receive()).toBe(8);
    expect(ch.closed).toBe(true);
  });

  test.each(['dropOldest', 'dropNewest'] as const)('%s: a send case on a full dropping channel is always ready', async (overflow) => {
    const ch = new Channel<number>({ capacity: 1, overflow });
    const never = new Channel<number>();
    ch.trySend(0);
    expect(trySelect({ s: ch.sendCase(1), n: never.receiveCase() })).toEqual({ key: 's', value: undefined, done: false });
    expect((await select({ s: ch.sendCase(2) })).key).toBe('s');
    expect(ch.length).toBe(1);
    expect(ch.tryReceive().value).toBe(overflow === 'dropOldest' ? 2 : 0);
  });

  test('bad values are refused, naming the option and the value received', () => {
    expect(() => new Channel({ overflow: 'drop' as never, capacity: 1 })).toThrow(RangeError);
    expect(() => new Channel({ overflow: 'drop' as never, capacity: 1 })).toThrow(/option "overflow" must be 'block', 'dropOldest' or 'dropNewest', received "drop"/);
    expect(() => new Channel({ overflow: 1 as never, capacity: 1 })).toThrow(TypeError);
    expect(() => new Channel({ overflow: 'dropOldest' })).toThrow(/option "overflow" "dropOldest" needs a capacity above 0, received capacity 0/);
    expect(() => new Channel({ overflow: 'dropNewest', capacity: 0 })).toThrow(RangeError);
    expect(() => new Channel({ overflow: 'block', capacity: 0 })).not.toThrow();
  });
});
