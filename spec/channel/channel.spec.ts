/**
 * Channel semantics (SPEC.md "Channels"), swept over every capacity: rendezvous (0),
 * small buffers (1, 2), a larger one (10) and an unbounded one (Infinity).
 */
import { Channel, ChannelClosedError, run, tasklet } from '../../lib/index';
import { CAPACITIES, idle, watch } from '../helpers';

describe.each(CAPACITIES)('Channel with capacity %p', (capacity) => {
  const finite = capacity !== Infinity;

  test('a fresh channel: capacity as given, nothing buffered, nobody parked, open', () => {
    const ch = new Channel({ capacity });
    expect(ch.capacity).toBe(capacity);
    expect(ch.length).toBe(0);
    expect(ch.balance).toBe(0);
    expect(ch.preference).toBe(-1);
    expect(ch.closing).toBe(false);
    expect(ch.closed).toBe(false);
  });

  test('values sent by one tasklet are received by another in FIFO order', async () => {
    const ch = new Channel<number>({ capacity });
    const n = 25;
    const producer = tasklet(async () => {
      for (let i = 0; i < n; i++) await ch.send(i);
      return 'sent';
    })();
    const consumer = tasklet(async () => {
      const got: number[] = [];
      for (let i = 0; i < n; i++) got.push(await ch.receive());
      return got;
    })();
    await run();
    expect(await producer.join()).toBe('sent');
    expect(await consumer.join()).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(ch.length).toBe(0);
    expect(ch.balance).toBe(0);
  });

  test("several producers: each producer's values arrive in its own order, none lost or duplicated", async () => {
    const ch = new Channel<string>({ capacity });
    for (const p of ['a', 'b', 'c']) {
      tasklet(async () => {
        for (let i = 0; i < 10; i++) await ch.send(`${p}${i}`);
      })();
    }
    const consumer = tasklet(async () => {
      const got: string[] = [];
      for (let i = 0; i < 30; i++) got.push(await ch.receive());
      return got;
    })();
    await run();
    const got = await consumer.join();
    for (const p of ['a', 'b', 'c']) {
      expect(got.filter((v) => v[0] === p)).toEqual(Array.from({ length: 10 }, (_, i) => `${p}${i}`));
    }
    expect(got).toHaveLength(30);
  });

  test('parked receivers are served first come, first served; balance counts them', async () => {
    const ch = new Channel<string>({ capacity });
    const got: string[] = [];
    for (const name of ['r1', 'r2', 'r3']) {
      tasklet(async () => {
        got.push(`${name} got ${await ch.receive()}`);
      })();
    }
    await idle();
    expect(ch.balance).toBe(-3);
    expect(ch.length).toBe(0);
    await ch.send('x');
    expect(ch.balance).toBe(-2);
    await ch.send('y');
    await ch.send('z');
    expect(ch.balance).toBe(0);
    await run();
    expect(got).toEqual(['r1 got x', 'r2 got y', 'r3 got z']);
    expect(ch.length).toBe(0);
  });

  if (finite) {
    test('on a full buffer senders park, are served first come, first served, and their values follow the buffer', async () => {
      const ch = new Channel<string>({ capacity });
      const buffered = Array.from({ length: capacity }, (_, i) => `b${i}`);
      for (const v of buffered) expect(ch.trySend(v)).toBe(true);
      expect(ch.length).toBe(capacity);
      const done: string[] = [];
      for (const name of ['s1', 's2', 's3']) {
        tasklet(async () => {
          await ch.send(name);
          done.push(name);
        })();
      }
      await idle();
      expect(ch.balance).toBe(3);
      expect(ch.length).toBe(capacity);
      expect(done).toEqual([]);
      const first = ch.tryReceive();
      // The oldest parked sender's value took the free slot (or was taken); its send completes.
      expect(ch.balance).toBe(2);
      expect(ch.length).toBe(capacity);
      const consumer = tasklet(async () => {
        const got: string[] = [];
        for (let i = 1; i < capacity + 3; i++) got.push(await ch.receive());
        return got;
      })();
      const received = [first.value, ...(await consumer.join())];
      await run();
      expect(received).toEqual([...buffered, 's1', 's2', 's3']);
      expect(done).toEqual(['s1', 's2', 's3']);
      expect(ch.balance).toBe(0);
      expect(ch.length).toBe(0);
    });
  } else {
    test('an unbounded channel never parks a sender', async () => {
      const ch = new Channel<number>({ capacity });
      for (let i = 0; i < 5000; i++) {
        const sent = ch.send(i);
        expect(ch.balance).toBe(0);
        await sent;
      }
      expect(ch.length).toBe(5000);
      for (let i = 0; i < 5000; i++) expect(ch.tryReceive()).toEqual({ ok: true, value: i });
    });
  }

  test('tryReceive tells a received undefined from "empty" and from "closed"', () => {
    const ch = new Channel<undefined>({ capacity });
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
    if (capacity > 0) {
      expect(ch.trySend(undefined)).toBe(true);
      expect(ch.length).toBe(1);
      const r = ch.tryReceive();
      expect(r).toEqual({ ok: true, value: undefined });
      expect(r.ok).toBe(true);
    } else {
      // Nobody waits on a rendezvous: nothing is taken, nothing is stored.
      expect(ch.trySend(undefined)).toBe(false);
      expect(ch.length).toBe(0);
      expect(ch.balance).toBe(0);
    }
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
    ch.close();
    expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
  });

  test('trySend succeeds when a receiver is parked, and hands it the value', async () => {
    const ch = new Channel<number>({ capacity });
    const r = ch.receive();
    expect(ch.balance).toBe(-1);
    expect(ch.trySend(7)).toBe(true);
    expect(ch.balance).toBe(0);
    expect(ch.length).toBe(0);
    expect(await r).toBe(7);
  });

  test('trySend fills the buffer and fails, storing nothing, once it is full', () => {
    const ch = new Channel<number>({ capacity });
    const n = finite ? capacity : 100;
    for (let i = 0; i < n; i++) expect(ch.trySend(i)).toBe(true);
    expect(ch.length).toBe(n);
    if (finite) {
      expect(ch.trySend(-1)).toBe(false);
      expect(ch.length).toBe(n);
      expect(ch.balance).toBe(0);
    }
    for (let i = 0; i < n; i++) expect(ch.tryReceive()).toEqual({ ok: true, value: i });
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
  });

  if (finite) {
    test("tryReceive succeeds when a sender is parked; the sender's send completes", async () => {
      const ch = new Channel<string>({ capacity });
      for (let i = 0; i < capacity; i++) ch.trySend(`b${i}`);
      const sender = tasklet(async () => {
        await ch.send('parked');
        return 'sent';
      })();
      await idle();
      expect(sender.blocked).toBe(true);
      expect(ch.balance).toBe(1);
      expect(ch.tryReceive()).toEqual({ ok: true, value: capacity === 0 ? 'parked' : 'b0' });
      expect(ch.balance).toBe(0);
      expect(ch.length).toBe(capacity);
      expect(await sender.join()).toBe('sent');
      const rest: string[] = [];
      for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) rest.push(r.value);
      expect(rest).toEqual(capacity === 0 ? [] : [...Array.from({ length: capacity - 1 }, (_, i) => `b${i + 1}`), 'parked']);
    });
  }

  test('sendThrow and sendException take their place in line; the receive rejects with the error', async () => {
    const ch = new Channel<number>({ capacity });
    const boom = new Error('boom');
    const producer = tasklet(async () => {
      await ch.send(1);
      await ch.sendThrow(boom);
      await ch.sendException(RangeError, 'too far');
      await ch.send(2);
    })();
    const outcomes: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(
        await ch.receive().then(
          (v) => ['value', v],
          (e) => ['error', e],
        ),
      );
    }
    await producer.join();
    expect(outcomes[0]).toEqual(['value', 1]);
    expect(outcomes[1]).toEqual(['error', boom]);
    expect((outcomes[1] as unknown[])[1]).toBe(boom);
    const [kind, error] = outcomes[2] as [string, Error];
    expect(kind).toBe('error');
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe('too far');
    expect(outcomes[3]).toEqual(['value', 2]);
  });

  test('sendThrow to a parked receiver, to tryReceive and to for await', async () => {
    const ch = new Channel<number>({ capacity });
    const receiver = tasklet(async () => ch.receive())();
    const joined = receiver.join();
    await idle();
    const e1 = new Error('to the parked receiver');
    await ch.sendThrow(e1);
    await expect(joined).rejects.toBe(e1);

    const e2 = new Error('to tryReceive');
    const sender = tasklet(async () => ch.sendThrow(e2))();
    await idle();
    expect(() => ch.tryReceive()).toThrow(e2);
    await sender.join();

    const e3 = new Error('to for await');
    const iterating = tasklet(async () => {
      const got: number[] = [];
      for await (const v of ch) got.push(v);
      return got;
    })();
    const iterated = iterating.join();
    await ch.send(1);
    await ch.sendThrow(e3);
    await expect(iterated).rejects.toBe(e3);
    expect(ch.balance).toBe(0);
    expect(ch.length).toBe(0);
  });

  test('sendSequence sends sync and async iterables in order and resolves with the count', async () => {
    const ch = new Channel<number>({ capacity });
    const consumer = tasklet(async () => {
      const got: number[] = [];
      for await (const v of ch) got.push(v);
      return got;
    })();
    function* gen() {
      yield 3;
      yield 4;
    }
    async function* agen() {
      yield 6;
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield 7;
      yield 8;
    }
    expect(await ch.sendSequence([1, 2])).toBe(2);
    expect(await ch.sendSequence(gen())).toBe(2);
    expect(await ch.sendSequence(new Set([5]))).toBe(1);
    expect(await ch.sendSequence(agen())).toBe(3);
    expect(await ch.sendSequence([])).toBe(0);
    ch.close();
    expect(await consumer.join()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('sendSequence from a tasklet, with the consumer in plain code', async () => {
    const ch = new Channel<string>({ capacity });
    const producer = tasklet(async () => {
      const n = await ch.sendSequence('abcde');
      ch.close();
      return n;
    })();
    const got: string[] = [];
    for await (const v of ch) got.push(v);
    expect(got).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await producer.join()).toBe(5);
  });

  test('for await receives until the channel is closed and drained', async () => {
    const ch = new Channel<number>({ capacity });
    const consumer = tasklet(async () => {
      const got: number[] = [];
      for await (const v of ch) got.push(v);
      return got;
    })();
    const producer = tasklet(async () => {
      for (let i = 1; i <= 5; i++) await ch.send(i);
      ch.close();
    })();
    await run();
    await producer.join();
    expect(await consumer.join()).toEqual([1, 2, 3, 4, 5]);
    expect(ch.closed).toBe(true);
  });

  test('for await: break leaves without consuming anything more', async () => {
    const ch = new Channel<number>({ capacity });
    const producer = tasklet(async () => ch.sendSequence([1, 2, 3, 4]))();
    const consumer = tasklet(async () => {
      const got: number[] = [];
      for await (const v of ch) {
        got.push(v);
        if (v === 2) break;
      }
      return got;
    })();
    expect(await consumer.join()).toEqual([1, 2]);
    await idle();
    expect(await ch.receive()).toBe(3);
    expect(await ch.receive()).toBe(4);
    expect(await producer.join()).toBe(4);
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
  });

  test('values of every kind are delivered as they are', async () => {
    const sym = Symbol('s');
    const obj = { a: 1 };
    const arr = [1, 2];
    const fn = () => 1;
    const values: unknown[] = [undefined, null, 0, -0, '', false, NaN, 10n, sym, obj, arr, fn, new Error('a value, not a throw')];
    const ch = new Channel<unknown>({ capacity });
    tasklet(async () => {
      for (const v of values) await ch.send(v);
    })();
    const got: unknown[] = [];
    for (let i = 0; i < values.length; i++) got.push(await ch.receive());
    await run();
    expect(got).toHaveLength(values.length);
    got.forEach((v, i) => expect(Object.is(v, values[i])).toBe(true));
  });

  test('a promise is handed over as it is: send does not wait for it, tryReceive returns it', async () => {
    const ch = new Channel<Promise<string>>({ capacity });
    let resolve!: (v: string) => void;
    const p = new Promise<string>((r) => (resolve = r));
    const sender = tasklet(async () => {
      await ch.send(p);
      return 'sent';
    })();
    await idle();
    // Buffered at once, or parked on a rendezvous: the pending promise does not hold it up.
    expect(ch.length + ch.balance).toBe(1);
    const r = ch.tryReceive();
    expect(r.ok).toBe(true);
    expect(r.value).toBe(p);
    expect(await sender.join()).toBe('sent');
    resolve('done');
  });

  test('a promise sent is unwrapped by await receive(); the send completes before it settles', async () => {
    const ch = new Channel<Promise<string>>({ capacity });
    let resolve!: (v: string) => void;
    const p = new Promise<string>((r) => (resolve = r));
    const receiver = tasklet(async () => {
      const v: string = await ch.receive();
      return v;
    })();
    await idle();
    await ch.send(p);
    await idle();
    expect(receiver.alive).toBe(true);
    resolve('payload');
    expect(await receiver.join()).toBe('payload');
  });

  test('works from plain code outside tasklets: the caller is one more waiter', async () => {
    const ch = new Channel<number>({ capacity });
    // Plain senders first, then plain receivers.
    const sends = [ch.send(1), ch.send(2), ch.send(3)];
    expect(ch.length + ch.balance).toBe(3);
    expect([await ch.receive(), await ch.receive(), await ch.receive()]).toEqual([1, 2, 3]);
    await Promise.all(sends);
    // Plain receivers parked first, then plain senders.
    const receives = [ch.receive(), ch.receive()];
    expect(ch.balance).toBe(-2);
    await ch.send(4);
    await ch.send(5);
    expect(await Promise.all(receives)).toEqual([4, 5]);
    expect(ch.balance).toBe(0);
  });

  test('plain code and tasklets talk both ways', async () => {
    const requests = new Channel<number>({ capacity });
    const replies = new Channel<number>({ capacity });
    const server = tasklet(async () => {
      for await (const n of requests) await replies.send(n * n);
      replies.close();
    })();
    const squares: number[] = [];
    for (let i = 1; i <= 4; i++) {
      await requests.send(i);
      squares.push(await replies.receive());
    }
    requests.close();
    await server.join();
    expect(squares).toEqual([1, 4, 9, 16]);
    await expect(replies.receive()).rejects.toBeInstanceOf(ChannelClosedError);
  });

  test('a send resolves once the value is taken (rendezvous) or stored (buffer)', async () => {
    const ch = new Channel<number>({ capacity });
    const sent = watch(ch.send(1));
    await idle();
    expect(sent.settled).toBe(capacity > 0);
    expect(await ch.receive()).toBe(1);
    await idle();
    expect(sent.fulfilled).toBe(true);
  });
});

describe.each([1, 2, 10])('overflow policies with capacity %p', (capacity) => {
  test("'dropOldest' never parks a sender; the oldest buffered values go", async () => {
    const ch = new Channel<number>({ capacity, overflow: 'dropOldest' });
    for (let i = 0; i < capacity + 3; i++) {
      const sent = ch.send(i);
      expect(ch.balance).toBe(0);
      await sent;
    }
    expect(ch.trySend(capacity + 3)).toBe(true);
    expect(ch.length).toBe(capacity);
    const got: number[] = [];
    for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) got.push(r.value);
    expect(got).toEqual(Array.from({ length: capacity }, (_, i) => i + 4));
  });

  test("'dropNewest' never parks a sender; the incoming values go", async () => {
    const ch = new Channel<number>({ capacity, overflow: 'dropNewest' });
    for (let i = 0; i < capacity + 3; i++) {
      const sent = ch.send(i);
      expect(ch.balance).toBe(0);
      await sent;
    }
    expect(ch.trySend(99)).toBe(true);
    expect(ch.length).toBe(capacity);
    const got: number[] = [];
    for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) got.push(r.value);
    expect(got).toEqual(Array.from({ length: capacity }, (_, i) => i));
  });

  test.each(['dropOldest', 'dropNewest'] as const)('%s hands a value straight to a parked receiver', async (overflow) => {
    const ch = new Channel<number>({ capacity, overflow });
    const r = ch.receive();
    await ch.send(1);
    expect(await r).toBe(1);
    expect(ch.length).toBe(0);
  });

  test("'block' (the default) parks a sender on a full buffer", async () => {
    const ch = new Channel<number>({ capacity, overflow: 'block' });
    for (let i = 0; i < capacity; i++) await ch.send(i);
    const sent = watch(ch.send(capacity));
    expect(ch.balance).toBe(1);
    expect(ch.trySend(-1)).toBe(false);
    expect(await ch.receive()).toBe(0);
    await idle();
    expect(sent.fulfilled).toBe(true);
    while (ch.tryReceive().ok);
  });
});

test('a dropping policy is refused with capacity 0', () => {
  for (const overflow of ['dropOldest', 'dropNewest'] as const) {
    expect(() => new Channel({ overflow })).toThrow(RangeError);
    expect(() => new Channel({ capacity: 0, overflow })).toThrow(/overflow/);
  }
});

describe('names', () => {
  test('a channel without a name is "channel-<n>", numbered in creation order; a name given is kept', () => {
    const a = new Channel();
    const b = new Channel();
    const named = new Channel({ name: 'jobs' });
    const c = new Channel();
    const n = Number(/^channel-(\d+)$/.exec(a.name)?.[1]);
    expect(n).toBeGreaterThan(0);
    expect([b.name, named.name, c.name]).toEqual([`channel-${n + 1}`, 'jobs', `channel-${n + 3}`]);
    expect(String(named)).toContain('"jobs"');
  });
});
