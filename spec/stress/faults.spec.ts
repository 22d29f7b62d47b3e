/**
 * Faults: a kill that arrives while the tasklet is already unwinding, and values the
 * library must hand over without ever looking at them (promises, rejected promises,
 * `undefined`, objects whose getters and `toString` throw, a Proxy that throws on
 * every trap but `then`).
 */
import { Channel, ChannelClosedError, DeadlockError, run, select, tasklet, TaskletExit, trySelect } from '../../lib/index';
import { CAPACITIES, idle, leftovers, rejection, stepLog, steps } from '../helpers';

describe('kill during finally', () => {
  test('a second kill() while the tasklet is parked in its finally: TaskletExit there, its channel left clean, both kills resolve', async () => {
    const { log, entries } = stepLog();
    const work = new Channel<number>({ name: 'work' });
    const cleanup = new Channel<string>({ name: 'cleanup' });
    const t = tasklet(
      async () => {
        try {
          await work.receive();
        } finally {
          log('finally starts');
          try {
            await cleanup.receive(); // parks while unwinding
            log('cleanup received');
          } catch (e) {
            log(`finally got ${(e as Error).name}`);
            // eslint-disable-next-line no-unsafe-finally -- rethrowing from finally while unwinding is the behaviour under test
            throw e;
          }
        }
      },
      { name: 't' },
    )();
    await idle();
    const first = t.kill();
    await idle();
    expect([t.alive, t.blocked, cleanup.balance, work.balance]).toEqual([true, true, -1, 0]);
    const second = t.kill();
    await Promise.all([first, second]);
    expect(entries).toEqual(steps('finally starts', 'finally got TaskletExit'));
    expect([t.alive, cleanup.balance, work.balance]).toEqual([false, 0, 0]);
    expect(await t.join()).toBeUndefined();
    // Nothing of the killed receive is left: the next value goes to the next receiver.
    expect(cleanup.trySend('x')).toBe(false);
  });

  test('a finally that completes channel operations after kill(): they take effect, kill() resolves after them', async () => {
    const { log, entries } = stepLog();
    const work = new Channel<number>({ name: 'work' });
    const done = new Channel<string>({ name: 'done' });
    const t = tasklet(
      async () => {
        try {
          await work.receive();
        } finally {
          await done.send('released'); // a rendezvous: parks until the receiver below takes it
          log('finally sent');
        }
      },
      { name: 't' },
    )();
    const r = tasklet(
      async () => {
        const v = await done.receive();
        log(`received ${v}`);
      },
      { name: 'r' },
    )();
    await idle();
    await t.kill();
    log('kill resolved');
    await r.join();
    expect(entries).toEqual(steps('received released', 'finally sent', 'kill resolved'));
    expect([work.balance, done.balance]).toEqual([0, 0]);
  });

  test('throw() during a finally that is parked replaces the TaskletExit: the tasklet fails with it', async () => {
    const hold = new Channel<number>({ name: 'hold' });
    const boom = new Error('boom');
    const t = tasklet(
      async () => {
        try {
          await hold.receive();
        } finally {
          await hold.receive();
        }
      },
      { name: 't' },
    )();
    const joined = t.join().catch((e) => e);
    await idle();
    const killed = t.kill();
    await idle();
    await t.throw(boom);
    await killed;
    expect(await joined).toBe(boom);
    expect(hold.balance).toBe(0);
  });
});

/** An object whose every property read, `toString`, `valueOf` and `Symbol.toPrimitive` throw. */
function hostileObject(): object {
  const o = {};
  for (const key of ['toString', 'valueOf', 'toJSON', 'name', 'message', 'value', 'constructor', Symbol.toPrimitive, Symbol.iterator, Symbol.asyncIterator, Symbol.toStringTag]) {
    Object.defineProperty(o, key, {
      get() {
        throw new Error(`the library read ${String(key)}`);
      },
    });
  }
  return o;
}

/**
 * A Proxy that throws on every trap, except a read of `then` (the one the promise
 * machinery must make for `await receive()`; SPEC: a promise is unwrapped there).
 * `getPrototypeOf` throws too: the library once asked `value instanceof Thrown`, which
 * lost a parked receiver or a buffered value
 * (spec/regression/regression-revoked-proxy-value-loses-receiver.spec.ts).
 */
function hostileProxy(): object {
  const touch = (trap: string) => () => {
    throw new Error(`the library used the ${trap} trap`);
  };
  return new Proxy(
    {},
    {
      get: (_t, key) => {
        if (key === 'then') return undefined;
        throw new Error(`the library read ${String(key)}`);
      },
      has: touch('has'),
      set: touch('set'),
      ownKeys: touch('ownKeys'),
      getOwnPropertyDescriptor: touch('getOwnPropertyDescriptor'),
      defineProperty: touch('defineProperty'),
      deleteProperty: touch('deleteProperty'),
      getPrototypeOf: touch('getPrototypeOf'),
      setPrototypeOf: touch('setPrototypeOf'),
      isExtensible: touch('isExtensible'),
      preventExtensions: touch('preventExtensions'),
    },
  );
}

describe.each(CAPACITIES)('capacity %p: values the library never looks at', (capacity) => {
  const kinds = (): [string, unknown][] => {
    const rejected = Promise.reject(new Error('a rejected promise, as a value'));
    rejected.catch(() => undefined); // the test's own promise: observed here, not by the library
    return [
      ['undefined', undefined],
      ['a pending promise', new Promise(() => undefined)],
      ['a rejected promise', rejected],
      ['an object whose getters and toString throw', hostileObject()],
    ];
  };

  test('trySend / tryReceive, send / tryReceive, through the buffer or a parked sender: the very same value', async () => {
    for (const [kind, v] of kinds()) {
      const ch = new Channel<unknown>({ capacity, name: kind });
      expect(ch.trySend(v)).toBe(capacity > 0);
      if (capacity === 0) tasklet(async () => ch.send(v))();
      await idle();
      const r = ch.tryReceive();
      expect({ kind, ok: r.ok, same: Object.is(r.value, v) }).toEqual({ kind, ok: true, same: true });
      await run();
    }
  });

  test('select and trySelect hand them over as they are, both ways', async () => {
    for (const [kind, v] of kinds()) {
      const ch = new Channel<unknown>({ capacity, name: kind });
      const other = new Channel<unknown>({ name: 'other' });
      const receiver = tasklet(async () => select({ other: other.receiveCase(), got: ch.receiveCase() }))();
      await idle();
      expect(trySelect({ put: ch.sendCase(v) })).toEqual({ key: 'put', value: undefined, done: false });
      const r = (await receiver.join()) as { key: string; value: unknown };
      expect({ kind, key: r.key, same: Object.is(r.value, v) }).toEqual({ kind, key: 'got', same: true });
    }
  });

  test('close with them parked or buffered, a failed send, a deadlock report: none of them is read', async () => {
    for (const [kind, v] of kinds()) {
      const ch = new Channel<unknown>({ capacity, name: kind });
      const senders = [0, 1, 2].map(() => tasklet(async () => ch.send(v), { name: 'sender' })());
      await idle();
      if (capacity < 3) {
        const e = await rejection(run());
        expect(e).toBeInstanceOf(DeadlockError);
        expect(e.message).toMatch(/sends on channel/);
      }
      ch.close();
      const failed = await rejection(ch.send(v));
      expect(failed).toBeInstanceOf(ChannelClosedError);
      expect(Object.is(failed.value, v)).toBe(true);
      const got: unknown[] = [];
      for await (const x of ch) got.push(x);
      expect({ kind, n: got.length, same: got.every((x) => Object.is(x, v)) }).toEqual({ kind, n: 3, same: true });
      await Promise.all(senders.map((s) => s.join()));
    }
  }, 10_000);

  test('a Proxy that throws on every trap but then: delivered by trySend, send, select and close', async () => {
    const v = hostileProxy();
    const ch = new Channel<unknown>({ capacity, name: 'proxy' });
    const got: unknown[] = [];
    const receiver = tasklet(
      async () => {
        got.push(await ch.receive());
        const r = await select({ a: ch.receiveCase() });
        got.push(r.value);
        for await (const x of ch) got.push(x);
      },
      { name: 'receiver' },
    )();
    await idle();
    expect(ch.trySend(v)).toBe(true);
    await ch.send(v);
    expect(trySelect({ a: ch.sendCase(v) }) ?? (await select({ a: ch.sendCase(v) }))).toEqual({ key: 'a', value: undefined, done: false });
    ch.close();
    await receiver.join();
    expect(got.length).toBe(3);
    for (const x of got) expect(x === v).toBe(true);
    expect(leftovers()).toEqual({ timers: 0, parkedPlain: 0 });
  });

  test('sendThrow of a value that is not an Error: the receiver gets exactly it', async () => {
    for (const [kind, v] of kinds()) {
      const ch = new Channel<unknown>({ capacity, name: kind });
      let caught: unknown = 'nothing';
      const joined = tasklet(async () => ch.receive())()
        .join()
        .catch((e) => void (caught = e)); // not returned: a promise value would be adopted
      await idle();
      await ch.sendThrow(v);
      await joined;
      expect({ kind, same: Object.is(caught, v) }).toEqual({ kind, same: true });
    }
  });
});

test('TaskletExit is what a killed receive sees, also with a hostile value buffered', async () => {
  const ch = new Channel<unknown>({ capacity: 1 });
  ch.trySend(hostileObject());
  const full = tasklet(async () => ch.send(hostileObject()))();
  let seen: unknown;
  const parked = tasklet(async () => {
    try {
      await new Channel().receive();
    } catch (e) {
      seen = e;
      throw e;
    }
  })();
  await idle();
  await parked.kill();
  await full.kill();
  expect(seen).toBeInstanceOf(TaskletExit);
  expect([ch.balance, ch.length]).toEqual([0, 1]);
});
