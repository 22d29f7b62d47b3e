/**
 * Reserved buffer slots (`_reserve`, `_fill`, `_unreserve`): the channel's side of a remote
 * sender's credits (lib/worker/). A reserved slot is full for every other sender, and a
 * closing channel is not drained while a value is still promised to it.
 */
import { Channel, ChannelClosedError, select, tasklet } from '../../lib/index';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('reserved slots', () => {
  test('are taken from free room only, and count as full for every other sender', async () => {
    const ch = new Channel<number>({ capacity: 3 });
    expect(ch.trySend(1)).toBe(true);
    expect(ch._reserve(5)).toBe(2); // only the free room
    expect(ch._reserve(1)).toBe(0);
    expect(ch.trySend(2)).toBe(false);
    expect(ch._canSend()).toBe(false);
    const parked = ch.send(2);
    expect(ch.balance).toBe(1);
    ch._fill(10);
    ch._fill(11);
    expect(ch.length).toBe(3);
    expect([ch.tryReceive().value, ch.tryReceive().value, ch.tryReceive().value]).toEqual([1, 10, 11]);
    await parked; // moved into the first slot freed
    expect(ch.tryReceive().value).toBe(2);
  });

  test('are refused to a rendezvous, a dropping buffer, a closing channel, and while a sender is parked (it is first in line)', () => {
    expect(new Channel<number>()._reserve(1)).toBe(0);
    expect(new Channel<number>({ capacity: 2, overflow: 'dropOldest' })._reserve(1)).toBe(0);
    const closing = new Channel<number>({ capacity: 2 });
    closing.close();
    expect(closing._reserve(1)).toBe(0);
    const full = new Channel<number>({ capacity: 1 });
    full.trySend(1);
    void full.send(2);
    expect(full.tryReceive().value).toBe(1); // the parked sender's value moves in: still full
    expect(full._reserve(1)).toBe(0);
    expect(full.tryReceive().value).toBe(2);
    expect(full._reserve(1)).toBe(1);
  });

  test('a value for a reserved slot goes to the oldest parked receiver first', async () => {
    const ch = new Channel<string>({ capacity: 2 });
    expect(ch._reserve(2)).toBe(2);
    const got: string[] = [];
    tasklet(async () => got.push(await ch.receive()), { name: 'first' })();
    tasklet(async () => got.push(await ch.receive()), { name: 'second' })();
    await turn();
    expect(ch.balance).toBe(-2);
    ch._fill('a');
    ch._fill('b');
    await turn();
    expect(got).toEqual(['a', 'b']);
    expect(ch.length).toBe(0);
  });

  test('given back, the room goes to the parked senders, oldest first', async () => {
    const ch = new Channel<number>({ capacity: 2 });
    expect(ch._reserve(2)).toBe(2);
    const order: number[] = [];
    const a = ch.send(1).then(() => order.push(1));
    const b = ch.send(2).then(() => order.push(2));
    expect(ch.balance).toBe(2);
    ch._unreserve(1);
    expect(ch.balance).toBe(1);
    ch._unreserve(1);
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
    expect([ch.tryReceive().value, ch.tryReceive().value]).toEqual([1, 2]);
  });

  test('closing with a slot reserved: receivers wait for its value, then get end-of-channel; nothing is lost', async () => {
    const ch = new Channel<number>({ capacity: 4 });
    ch.trySend(1);
    expect(ch._reserve(1)).toBe(1);
    ch.close();
    expect(ch.tryReceive().value).toBe(1);
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false }); // drained of what is here, not of what is promised
    expect(ch.closed).toBe(false);
    expect(ch._canReceive()).toBe(false);
    const got = ch.receive();
    const after = ch.receive().catch((e: unknown) => e);
    ch._fill(2); // sent before the close, arriving after it
    expect(await got).toBe(2);
    expect(await after).toBeInstanceOf(ChannelClosedError);
    expect(ch.closed).toBe(true);
    expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
  });

  test('closing with a slot reserved that is given back unused: parked receivers and iterators end then', async () => {
    const ch = new Channel<number>({ capacity: 4 });
    expect(ch._reserve(2)).toBe(2);
    const seen: number[] = [];
    const reader = tasklet(async () => {
      for await (const v of ch) seen.push(v);
      return 'ended';
    })();
    const receiver = ch.receive(); // parked first: plain code, before the reader starts
    await turn();
    ch.close();
    await turn();
    expect(reader.alive).toBe(true);
    ch._fill(5);
    expect(await receiver).toBe(5);
    expect(reader.alive).toBe(true);
    ch._unreserve(1);
    expect(await reader.join()).toBe('ended');
    expect(seen).toEqual([]);
  });

  test("a select's receive case waits for the promised value of a closing channel", async () => {
    const ch = new Channel<number>({ capacity: 1 });
    expect(ch._reserve(1)).toBe(1);
    ch.close();
    const chosen = select({ promised: ch.receiveCase() });
    await turn();
    ch._fill(9);
    expect(await chosen).toMatchObject({ value: 9 });
  });
});
