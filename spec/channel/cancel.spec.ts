/**
 * Cancellation (SPEC.md "Channels", cancellation): an operation aborted by its
 * AbortSignal while parked rejects with `signal.reason` and leaves the channel exactly
 * as if it had never been tried; an already aborted signal rejects at once without
 * effect; a parked operation whose tasklet is killed leaves no trace either.
 */
import { getEventListeners } from 'node:events';
import { Channel, tasklet } from '../../lib/index';
import { CAPACITIES, idle, receiveN, takeAll, watch } from '../helpers';

/** What a promise settles to: `['value', v]` or `['error', e]`. */
function outcome<T>(p: Promise<T>): Promise<['value', T] | ['error', unknown]> {
  return p.then(
    (v) => ['value', v] as ['value', T],
    (e) => ['error', e] as ['error', unknown],
  );
}

describe.each(CAPACITIES)('capacity %p', (capacity) => {
  const finite = capacity !== Infinity;

  /** Fills a finite buffer with b1, b2, …; returns the values. */
  function fill(ch: Channel<string>): string[] {
    const values = finite ? Array.from({ length: capacity }, (_, i) => `b${i + 1}`) : [];
    for (const v of values) expect(ch.trySend(v)).toBe(true);
    return values;
  }

  test('a parked receive aborted: rejects with signal.reason; the next value goes to the next receiver', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const reason = new Error('gave up');
    const aborted = outcome(tasklet(async () => ch.receive({ signal: ac.signal }))().join());
    const other = tasklet(async () => ch.receive())();
    await idle();
    expect(ch.balance).toBe(-2);
    ac.abort(reason);
    expect(ch.balance).toBe(-1);
    const [kind, error] = await aborted;
    expect(kind).toBe('error');
    expect(error).toBe(reason);
    await ch.send('x');
    expect(await other.join()).toBe('x');
    expect([ch.balance, ch.length]).toEqual([0, 0]);
  });

  test('a parked receive in plain code aborted: same, and the channel keeps working', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const aborted = outcome(ch.receive({ signal: ac.signal }));
    expect(ch.balance).toBe(-1);
    ac.abort('because');
    expect(ch.balance).toBe(0);
    expect(await aborted).toEqual(['error', 'because']);
    if (capacity > 0) {
      // The next value is buffered, not handed to the aborted receiver.
      expect(ch.trySend('y')).toBe(true);
      expect(ch.length).toBe(1);
      expect(ch.tryReceive()).toEqual({ ok: true, value: 'y' });
    } else {
      expect(ch.trySend('y')).toBe(false);
    }
    const later = ch.receive();
    await ch.send('z');
    expect(await later).toBe('z');
  });

  test("abort() without a reason rejects with the signal's own reason (an AbortError)", async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const aborted = outcome(ch.receive({ signal: ac.signal }));
    ac.abort();
    const [kind, error] = await aborted;
    expect(kind).toBe('error');
    expect(error).toBe(ac.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(ch.balance).toBe(0);
  });

  if (finite) {
    test('a parked send aborted: rejects with signal.reason; its value is never delivered', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = fill(ch);
      const ac = new AbortController();
      const reason = new Error('not needed');
      const aborted = outcome(tasklet(async () => ch.send('A', { signal: ac.signal }))().join());
      const other = tasklet(async () => ch.send('B'))();
      await idle();
      expect(ch.balance).toBe(2);
      ac.abort(reason);
      expect(ch.balance).toBe(1);
      expect(ch.length).toBe(capacity);
      expect(await aborted).toEqual(['error', reason]);
      expect(await receiveN(ch, capacity + 1)).toEqual([...buffered, 'B']);
      await other.join();
      expect(takeAll(ch)).toEqual([]);
      expect(ch.balance).toBe(0);
    });

    test('a parked send in plain code aborted: same', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = fill(ch);
      const ac = new AbortController();
      const aborted = outcome(ch.send('A', { signal: ac.signal }));
      const other = ch.send('B');
      expect(ch.balance).toBe(2);
      ac.abort('stop');
      expect(ch.balance).toBe(1);
      expect(await aborted).toEqual(['error', 'stop']);
      expect(await receiveN(ch, capacity + 1)).toEqual([...buffered, 'B']);
      await other;
      expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
    });

    test('aborting the middle one of three parked senders keeps the others in order', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = fill(ch);
      const ac = new AbortController();
      const s1 = ch.send('s1');
      const s2 = outcome(ch.send('s2', { signal: ac.signal }));
      const s3 = ch.send('s3');
      ac.abort('middle');
      expect(ch.balance).toBe(2);
      expect(await s2).toEqual(['error', 'middle']);
      expect(await receiveN(ch, capacity + 2)).toEqual([...buffered, 's1', 's3']);
      await Promise.all([s1, s3]);
    });
  }

  test('an already aborted signal: send rejects at once and does not reach a parked receiver', async () => {
    const ch = new Channel<string>({ capacity });
    const receiver = tasklet(async () => ch.receive())();
    await idle();
    const ac = new AbortController();
    ac.abort('too late');
    const sent = watch(ch.send('lost?', { signal: ac.signal }));
    expect(ch.balance).toBe(-1);
    await Promise.resolve();
    await Promise.resolve();
    expect(sent.settled).toBe(true);
    expect(sent.error).toBe('too late');
    expect(receiver.blocked).toBe(true);
    await ch.send('kept');
    expect(await receiver.join()).toBe('kept');
  });

  test('an already aborted signal: send into a buffer with room stores nothing', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    ac.abort('no');
    await expect(ch.send('x', { signal: ac.signal })).rejects.toBe('no');
    await expect(ch.sendThrow(new Error('e'), { signal: ac.signal })).rejects.toBe('no');
    await expect(ch.sendSequence(['a', 'b'], { signal: ac.signal })).rejects.toBe('no');
    expect([ch.length, ch.balance]).toEqual([0, 0]);
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
  });

  test('an already aborted signal: receive rejects at once and takes nothing', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    ac.abort('no');
    // Nothing to take: it does not park either.
    await expect(ch.receive({ signal: ac.signal })).rejects.toBe('no');
    expect(ch.balance).toBe(0);
    // Something to take, from a parked sender or the buffer: it stays.
    const sender = tasklet(async () => ch.send('stays'))();
    await idle();
    expect(ch.length + ch.balance).toBe(1);
    await expect(ch.receive({ signal: ac.signal })).rejects.toBe('no');
    expect(ch.length + ch.balance).toBe(1);
    expect(await receiveN(ch, 1)).toEqual(['stays']);
    await sender.join();
  });

  test('aborting after the operation completed changes nothing', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const receiver = tasklet(async () => ch.receive({ signal: ac.signal }))();
    await idle();
    // Complete the receive, then abort before the receiver has even resumed.
    expect(ch.trySend('x')).toBe(true);
    ac.abort('late');
    expect(await receiver.join()).toBe('x');
    const sent = ch.send('y', { signal: ac.signal }); // aborted already: rejects
    await expect(sent).rejects.toBe('late');
    const ac2 = new AbortController();
    const r2 = ch.receive({ signal: ac2.signal });
    await ch.send('z');
    expect(await r2).toBe('z');
    ac2.abort('after');
    expect([ch.balance, ch.length]).toEqual([0, 0]);
  });

  test('a parked operation stops listening to its signal once it completes or is aborted', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const listeners = () => getEventListeners(ac.signal, 'abort').length;
    const completed = ch.receive({ signal: ac.signal });
    expect(listeners()).toBe(1);
    await ch.send('x');
    expect(await completed).toBe('x');
    expect(listeners()).toBe(0);
    const aborted = outcome(ch.receive({ signal: ac.signal }));
    const other = new AbortController();
    const killed = tasklet(async () => ch.receive({ signal: other.signal }))();
    await idle();
    await killed.kill();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    ac.abort('x');
    await aborted;
    expect(listeners()).toBe(0);
  });

  test('one signal shared by several parked operations aborts them all', async () => {
    const ch = new Channel<string>({ capacity });
    const ac = new AbortController();
    const a = outcome(ch.receive({ signal: ac.signal }));
    const b = outcome(ch.receive({ signal: ac.signal }));
    const c = ch.receive();
    expect(ch.balance).toBe(-3);
    ac.abort('all');
    expect(ch.balance).toBe(-1);
    expect(await a).toEqual(['error', 'all']);
    expect(await b).toEqual(['error', 'all']);
    await ch.send('c');
    expect(await c).toBe('c');
  });

  test('sendSequence aborted while parked: the rest is not sent, the parked value not delivered', async () => {
    const ch = new Channel<number>({ capacity });
    const ac = new AbortController();
    const seq = outcome(ch.sendSequence([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { signal: ac.signal }));
    await idle();
    const held = ch.length + ch.balance;
    if (finite) {
      // Buffered what fitted, parked on the next one.
      expect(ch.balance).toBe(capacity >= 12 ? 0 : 1);
      ac.abort('enough');
      const sentBefore = Math.min(capacity, 12);
      expect(await seq).toEqual(capacity >= 12 ? ['value', 12] : ['error', 'enough']);
      expect(takeAll(ch)).toEqual(Array.from({ length: sentBefore }, (_, i) => i + 1));
      expect(ch.balance).toBe(0);
      expect(held).toBe(capacity >= 12 ? 12 : capacity + 1);
    } else {
      expect(await seq).toEqual(['value', 12]);
      ac.abort('enough');
      expect(takeAll(ch)).toHaveLength(12);
    }
  });

  test('killing a parked receiver leaves no trace: the next value goes to the next receiver', async () => {
    const ch = new Channel<string>({ capacity });
    const victim = tasklet(async () => ch.receive())();
    const other = tasklet(async () => ch.receive())();
    await idle();
    expect(ch.balance).toBe(-2);
    await victim.kill();
    expect(ch.balance).toBe(-1);
    expect(await victim.join()).toBeUndefined();
    await ch.send('x');
    expect(await other.join()).toBe('x');
    expect([ch.balance, ch.length]).toEqual([0, 0]);
  });

  test('killing a tasklet parked in for await leaves no trace', async () => {
    const ch = new Channel<string>({ capacity });
    const iterate = tasklet(async () => {
      const got: string[] = [];
      for await (const v of ch) got.push(v);
      return got;
    });
    const victim = iterate();
    const other = iterate();
    await idle();
    expect(ch.balance).toBe(-2);
    await victim.kill();
    expect(ch.balance).toBe(-1);
    await ch.send('x');
    ch.close();
    expect(await other.join()).toEqual(['x']);
    expect(await victim.join()).toBeUndefined();
  });

  if (finite) {
    test('a sender parked before the close can still be aborted or killed; once none is left the channel is closed', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = fill(ch);
      const ac = new AbortController();
      const aborted = outcome(ch.send('A', { signal: ac.signal }));
      const victim = tasklet(async () => ch.send('K'))();
      const kept = ch.send('B');
      await idle();
      ch.close();
      expect(ch.balance).toBe(3);
      ac.abort('never mind');
      await victim.kill();
      expect(await aborted).toEqual(['error', 'never mind']);
      expect(ch.balance).toBe(1);
      expect(ch.closed).toBe(false);
      expect(await receiveN(ch, capacity + 1)).toEqual([...buffered, 'B']);
      await kept;
      expect(ch.closed).toBe(true);
      expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
    });

    test('killing a parked sender leaves no trace: its value is delivered to nobody', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = fill(ch);
      const victim = tasklet(async () => ch.send('A'))();
      const other = tasklet(async () => ch.send('B'))();
      await idle();
      expect(ch.balance).toBe(2);
      await victim.kill();
      expect(ch.balance).toBe(1);
      expect(ch.length).toBe(capacity);
      expect(await receiveN(ch, capacity + 1)).toEqual([...buffered, 'B']);
      await other.join();
      expect(takeAll(ch)).toEqual([]);
      expect(ch.balance).toBe(0);
      expect(await victim.join()).toBeUndefined();
    });
  }
});

describe('a kill deferred to the next operation (the tasklet was runnable, its hand-off complete)', () => {
  /** A tasklet that receives once on `inbox`, then does `next()`; killed once it is runnable again. */
  async function killedBeforeNext(next: () => Promise<unknown>): Promise<string[]> {
    const inbox = new Channel<string>({ name: 'inbox' });
    const log: string[] = [];
    const t = tasklet(async () => {
      log.push(`got ${await inbox.receive()}`);
      try {
        await next();
        log.push('next operation completed');
      } catch (e) {
        log.push(`next operation: ${(e as Error).name}`);
        throw e;
      }
    })();
    await idle();
    expect(inbox.trySend('sack')).toBe(true); // t is runnable; its receive completed
    await t.kill();
    expect(await t.join()).toBeUndefined();
    return log;
  }

  test.each(CAPACITIES)('capacity %p: the next receive() gets TaskletExit and takes nothing', async (capacity) => {
    const ch = new Channel<number>({ capacity });
    if (capacity > 0) ch.trySend(1);
    const sender = capacity === 0 ? tasklet(async () => ch.send(1))() : undefined;
    expect(await killedBeforeNext(() => ch.receive())).toEqual(['got sack', 'next operation: TaskletExit']);
    expect(ch.balance + ch.length).toBe(1); // the value is still there (buffered, or its sender parked)
    expect(await ch.receive()).toBe(1);
    if (sender !== undefined) await sender.join();
  });

  test.each(CAPACITIES)('capacity %p: the next send() gets TaskletExit and sends nothing', async (capacity) => {
    const ch = new Channel<number>({ capacity });
    const receiver = capacity === 0 ? tasklet(async () => ch.receive())() : undefined;
    await idle();
    expect(await killedBeforeNext(() => ch.send(2))).toEqual(['got sack', 'next operation: TaskletExit']);
    expect([ch.length, ch.balance]).toEqual([0, capacity === 0 ? -1 : 0]);
    if (receiver !== undefined) await receiver.kill();
  });

  test("another tasklet's owed kill does not touch plain code's send and receive", async () => {
    const inbox = new Channel<string>();
    const ch = new Channel<number>({ capacity: 1 });
    const t = tasklet(async () => {
      await inbox.receive();
      await ch.receive();
    })();
    await idle();
    inbox.trySend('x'); // t runnable, its receive completed
    const killed = t.kill(); // owed: lands at t's next operation
    await ch.send(7);
    expect(await ch.receive()).toBe(7);
    await killed;
    expect(t.alive).toBe(false);
  });
});
