/**
 * select and trySelect: one winner, losers leave no trace, fairness, priority, abort,
 * closed channels, the same channel on both sides, bad arguments.
 */
import { getEventListeners } from 'node:events';
import fc from 'fast-check';
import {
  after,
  type Case,
  Channel,
  ChannelClosedError,
  DeadlockError,
  recordDecisions,
  run,
  schedule,
  select,
  setRandomSeed,
  tasklet,
  TaskletExit,
  trySelect,
} from '../../lib/index';
import { idle, leftovers, rejection, settle } from '../helpers';

const CAPACITIES = [0, 1, 2, 10, Infinity];

describe('select: completing one case', () => {
  test.each(CAPACITIES)('capacity %p: a ready receive case is taken at once, the others left alone', async (capacity) => {
    const a = new Channel<number>({ capacity, name: 'a' });
    const b = new Channel<string>({ capacity, name: 'b' });
    tasklet(async () => a.send(1))();
    await schedule(); // the sender parks (rendezvous) or buffers its value
    const r = await select({ a: a.receiveCase(), b: b.receiveCase() });
    expect(r).toEqual({ key: 'a', value: 1, done: false });
    expect([a.balance, b.balance, a.length, b.length]).toEqual([0, 0, 0, 0]);
    await run();
  });

  test.each(CAPACITIES)('capacity %p: a parked select counts as a receiver on each channel; the first sender completes it', async (capacity) => {
    const a = new Channel<number>({ capacity, name: 'a' });
    const b = new Channel<number>({ capacity, name: 'b' });
    const p = select({ a: a.receiveCase(), b: b.receiveCase() });
    // 1. parked on both: each channel sees one parked receiver
    expect([a.balance, b.balance]).toEqual([-1, -1]);
    // 2. trySend sees it: the value goes straight to the select, not to the buffer
    expect(b.trySend(7)).toBe(true);
    expect(b.length).toBe(0);
    // 3. the other case left a's queue at once
    expect([a.balance, b.balance]).toEqual([0, 0]);
    expect(a.trySend(8)).toBe(capacity > 0); // a has no receiver any more
    expect(await p).toEqual({ key: 'b', value: 7, done: false });
    expect(leftovers().parkedPlain).toBe(0);
  });

  test('a parked send case is seen by tryReceive and by balance; the value arrives exactly once', async () => {
    const a = new Channel<string>({ name: 'a' });
    const b = new Channel<string>({ name: 'b' });
    const p = select({ a: a.sendCase('x'), b: b.sendCase('y') });
    expect([a.balance, b.balance]).toEqual([1, 1]);
    expect(b.tryReceive()).toEqual({ ok: true, value: 'y' });
    expect([a.balance, b.balance]).toEqual([0, 0]);
    expect(a.tryReceive()).toEqual({ ok: false, closed: false });
    expect(await p).toEqual({ key: 'b', value: undefined, done: false });
  });

  test('a select that parks ends the caller’s slice, like a parked receive', async () => {
    const log: string[] = [];
    const ch = new Channel<number>({ name: 'ch' });
    const quiet = new Channel<number>({ name: 'quiet' });
    tasklet(async () => {
      log.push('1 A selects');
      const r = await select({ ch: ch.receiveCase(), quiet: quiet.receiveCase() });
      log.push(`4 A got ${r.value}`);
    })();
    tasklet(async () => {
      log.push('2 B runs while A is parked');
      await ch.send(5);
      log.push('5 B after the hand-off');
    })();
    tasklet(async () => {
      log.push('3 C');
    })();
    await run();
    expect(log).toEqual(['1 A selects', '2 B runs while A is parked', '3 C', '4 A got 5', '5 B after the hand-off']);
  });

  test('sendThrow into a parked receive case rejects the select with that error, and nothing else moves', async () => {
    const a = new Channel<number>({ name: 'a' });
    const b = new Channel<number>({ name: 'b' });
    const p = select({ a: a.receiveCase(), b: b.receiveCase() });
    const boom = new Error('boom');
    void a.sendThrow(boom);
    expect(await rejection(p)).toBe(boom);
    expect([a.balance, b.balance]).toEqual([0, 0]);
  });

  test('types: value narrows with key (checked by tsc)', async () => {
    const n = new Channel<number>({ capacity: 1 });
    const s = new Channel<string>({ capacity: 1 });
    const out = new Channel<boolean>({ capacity: 1 });
    n.trySend(1);
    const r = await select({ n: n.receiveCase(), s: s.receiveCase(), out: out.sendCase(true) }, { priority: true });
    if (r.key === 'n') {
      if (!r.done) {
        const x: number = r.value;
        // @ts-expect-error: a number is not a string
        const y: string = r.value;
        void y;
        expect(x).toBe(1);
      } else {
        const u: undefined = r.value;
        void u;
      }
    } else if (r.key === 'out') {
      const u: undefined = r.value;
      void u;
    } else {
      const k: 's' = r.key;
      void k;
    }
    // @ts-expect-error: not a key of the cases
    void (r.key === 'nope');
    expect(r.key).toBe('n');
    // cases built at run time: the result may be either kind
    const dynamic: Record<string, Case<number>> = { x: n.receiveCase(), y: n.sendCase(2) };
    const d = await select(dynamic, { priority: true });
    const v: number | undefined = d.value;
    // @ts-expect-error: may be undefined
    const w: number = d.value;
    void w;
    expect(v).toBeUndefined(); // n was drained above, so the send case won
  });
});

describe('select: one winner (Go doubleselect)', () => {
  test('a sender selecting over four channels: every value received exactly once over 5,000 rounds', async () => {
    setRandomSeed(4);
    const N = 5000;
    const chans = [0, 1, 2, 3].map((i) => new Channel<number>({ name: `c${i}`, capacity: i < 2 ? 0 : 1 }));
    const seen = new Uint8Array(N);
    let received = 0;
    const record = (v: number): void => {
      if (seen[v]++ !== 0) throw new Error(`value ${v} seen twice`);
      received++;
    };
    tasklet(
      async () => {
        for (let i = 0; i < N; i++) {
          await select({ c0: chans[0].sendCase(i), c1: chans[1].sendCase(i), c2: chans[2].sendCase(i), c3: chans[3].sendCase(i) });
        }
        for (const c of chans) c.close();
      },
      { name: 'sender' },
    )();
    // Receivers in different styles: plain receive, for await, a select, polling with tryReceive.
    tasklet(async () => {
      for (;;) {
        try {
          record(await chans[0].receive());
        } catch (e) {
          if (e instanceof ChannelClosedError) return;
          throw e;
        }
      }
    })();
    tasklet(async () => {
      for await (const v of chans[1]) record(v);
    })();
    tasklet(async () => {
      let open = 2;
      while (open > 0) {
        const r = await select({ c2: chans[2].receiveCase(), c3: chans[3].receiveCase() });
        if (r.done) open--;
        else record(r.value);
        if (open === 1) break;
      }
      // one of c2/c3 is closed and drained; drain the other
      for (const c of [chans[2], chans[3]]) for await (const v of c) record(v);
    })();
    tasklet(async () => {
      for (;;) {
        const r = chans[3].tryReceive();
        if (r.ok) record(r.value);
        else if (r.closed) return;
        await schedule();
      }
    })();
    await run();
    expect(received).toBe(N);
    expect(seen.every((x) => x === 1)).toBe(true);
    for (const c of chans) expect([c.balance, c.length]).toEqual([0, 0]);
  });
});

describe('trySelect', () => {
  test('returns null when nothing is ready, and leaves nothing behind', () => {
    const a = new Channel<number>();
    const b = new Channel<number>({ capacity: 1 });
    b.trySend(1);
    expect(trySelect({ a: a.receiveCase(), b: b.sendCase(2), c: a.sendCase(3) })).toBeNull();
    expect([a.balance, b.balance, b.length]).toEqual([0, 0, 1]);
  });

  test('snapshot property: never null while a case is ready, and the winner was ready', () => {
    // Channel states are built from random operations; readiness is judged from the
    // public state only (balance, length, capacity, closing), independently of select.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), ch: fc.nat(2) }),
      fc.record({ kind: fc.constant('receive' as const), ch: fc.nat(2) }),
      fc.record({ kind: fc.constant('close' as const), ch: fc.nat(2) }),
    );
    const kase = fc.record({ send: fc.boolean(), ch: fc.nat(2) });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 1, 2, Infinity), { minLength: 3, maxLength: 3 }),
        fc.array(op, { maxLength: 8 }),
        fc.array(kase, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (caps, ops, kases, priority) => {
          const chans = caps.map((capacity, i) => new Channel<number>({ capacity, name: `c${i}` }));
          const pending: Promise<unknown>[] = [];
          let v = 0;
          for (const o of ops) {
            const ch = chans[o.ch];
            if (o.kind === 'close') ch.close();
            else if (o.kind === 'send' && !ch.closing) pending.push(ch.send(v++).catch(() => {}));
            else if (o.kind === 'receive' && !ch.closed) pending.push(ch.receive().catch(() => {}));
          }
          const cases: Record<string, ReturnType<Channel<number>['receiveCase']> | ReturnType<Channel<number>['sendCase']>> = {};
          kases.forEach((k, i) => (cases[`k${i}`] = k.send ? chans[k.ch].sendCase(1000 + i) : chans[k.ch].receiveCase()));
          const isReady = (k: { send: boolean; ch: number }): boolean => {
            const ch = chans[k.ch];
            return k.send ? ch.closing || ch.balance < 0 || ch.length < ch.capacity : ch.length > 0 || ch.balance > 0 || ch.closing;
          };
          const readyBefore = kases.map(isReady);
          const anyReady = readyBefore.includes(true);
          try {
            let r: { key: string } | null;
            try {
              r = trySelect(cases, { priority });
            } catch (e) {
              // only a chosen send case on a closing channel throws
              expect(e).toBeInstanceOf(ChannelClosedError);
              expect(anyReady).toBe(true);
              return;
            }
            expect(r !== null).toBe(anyReady);
            if (r !== null) {
              const i = Number(r.key.slice(1));
              expect(readyBefore[i]).toBe(true);
              if (priority) expect(readyBefore.indexOf(true)).toBe(i);
            }
          } finally {
            // close and drain, so no operation stays parked across runs
            for (const c of chans) c.close();
            for (const c of chans) while (c.tryReceive().ok);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a chosen send case on a closing channel throws ChannelClosedError with the value', () => {
    const ch = new Channel<string>({ name: 'shut' });
    ch.close();
    let error: unknown;
    try {
      trySelect({ out: ch.sendCase('lost?') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChannelClosedError);
    expect((error as ChannelClosedError).value).toBe('lost?');
    expect((error as Error).message).toMatch(/send on closed channel "shut" \(case "out"\)/);
  });
});

describe('select: fairness and priority', () => {
  test('two always-ready cases over 10,000 selects: each wins within 10σ of 5,000 (seeded)', async () => {
    setRandomSeed(12345);
    const a = new Channel<number>({ capacity: Infinity });
    const b = new Channel<number>({ capacity: Infinity });
    const wins = { a: 0, b: 0 };
    for (let i = 0; i < 10000; i++) {
      const r = await select({ a: a.sendCase(i), b: b.sendCase(i) });
      wins[r.key]++;
    }
    // σ = sqrt(10000 · ½ · ½) = 50
    expect(Math.abs(wins.a - 5000)).toBeLessThanOrEqual(500);
    expect(wins.a + wins.b).toBe(10000);
    expect([a.length + b.length]).toEqual([10000]);
  });

  test('three ready cases are chosen uniformly too (no bias towards the first or the last)', () => {
    setRandomSeed(99);
    const chans = [0, 1, 2].map(() => new Channel<number>({ capacity: Infinity }));
    const wins = [0, 0, 0];
    for (let i = 0; i < 9000; i++) {
      const r = trySelect({ k0: chans[0].sendCase(i), k1: chans[1].sendCase(i), k2: chans[2].sendCase(i) })!;
      wins[Number(r.key[1])]++;
    }
    // σ = sqrt(9000 · ⅓ · ⅔) ≈ 44.7
    for (const w of wins) expect(Math.abs(w - 3000)).toBeLessThanOrEqual(447);
  });

  test('the same seed makes the same choices', () => {
    const choices = (): string[] => {
      setRandomSeed(2024);
      const a = new Channel<number>({ capacity: Infinity });
      const b = new Channel<number>({ capacity: Infinity });
      const keys: string[] = [];
      for (let i = 0; i < 200; i++) keys.push(trySelect({ a: a.sendCase(i), b: b.sendCase(i) })!.key);
      return keys;
    };
    const first = choices();
    expect(choices()).toEqual(first);
    expect(new Set(first).size).toBe(2);
  });

  test('priority: true always takes the first ready case in key order', async () => {
    const a = new Channel<number>({ capacity: Infinity });
    const b = new Channel<number>({ capacity: Infinity });
    const full = new Channel<number>({ capacity: 1 });
    full.trySend(0);
    for (let i = 0; i < 1000; i++) {
      expect((await select({ a: a.sendCase(i), b: b.sendCase(i) }, { priority: true })).key).toBe('a');
      expect(trySelect({ b: b.sendCase(i), a: a.sendCase(i) }, { priority: true })!.key).toBe('b');
      expect(trySelect({ full: full.sendCase(i), b: b.sendCase(i) }, { priority: true })!.key).toBe('b');
    }
  });
});

describe('select: abort and kill', () => {
  test('aborting a parked select rejects with the reason and loses nothing', async () => {
    const a = new Channel<number>({ name: 'a' });
    const b = new Channel<string>({ name: 'b' });
    const ac = new AbortController();
    const p = select({ a: a.receiveCase(), b: b.sendCase('kept') }, { signal: ac.signal });
    expect([a.balance, b.balance]).toEqual([-1, 1]);
    const reason = new Error('stop');
    ac.abort(reason);
    expect(await rejection(p)).toBe(reason);
    // as if never tried: no receiver on a, no value offered on b
    expect([a.balance, b.balance]).toEqual([0, 0]);
    expect(a.trySend(1)).toBe(false);
    expect(b.tryReceive()).toEqual({ ok: false, closed: false });
    expect(leftovers().parkedPlain).toBe(0);
  });

  test('a partner that arrived before the abort keeps its hand-off: the value is not lost', async () => {
    const a = new Channel<number>({ name: 'a' });
    const ac = new AbortController();
    const p = select({ a: a.receiveCase(), t: after(10000).receiveCase() }, { signal: ac.signal });
    expect(a.trySend(42)).toBe(true);
    ac.abort(new Error('too late'));
    expect(await p).toEqual({ key: 'a', value: 42, done: false });
    expect(leftovers().timers).toBe(0);
  });

  test('an already aborted signal rejects at once, even with a ready case, taking nothing', async () => {
    const a = new Channel<number>({ capacity: 1 });
    a.trySend(1);
    const reason = new Error('early');
    await expect(select({ a: a.receiveCase() }, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(a.length).toBe(1);
  });

  test('killing a tasklet parked in a select leaves every channel as if never tried', async () => {
    const a = new Channel<number>({ name: 'a' });
    const b = new Channel<number>({ name: 'b' });
    let finallyRan = false;
    const t = tasklet(async () => {
      try {
        await select({ a: a.receiveCase(), b: b.sendCase(9) });
      } finally {
        finallyRan = true;
      }
    })();
    await schedule();
    expect(t.blocked).toBe(true);
    expect([a.balance, b.balance]).toEqual([-1, 1]);
    await t.kill();
    expect(finallyRan).toBe(true);
    expect([a.balance, b.balance]).toEqual([0, 0]);
    expect(await t.join()).toBeUndefined();
  });

  test('a tasklet killed after its select won keeps the value (TaskletExit comes at its next operation)', async () => {
    const a = new Channel<number>({ name: 'a' });
    let got: unknown;
    const t = tasklet(async () => {
      got = (await select({ a: a.receiveCase() })).value;
      await schedule();
      got = 'not reached';
    })();
    await schedule();
    a.trySend(5); // the select has won; the tasklet is runnable
    const killed = t.kill();
    await killed;
    expect(got).toBe(5);
  });
});

describe('select: closed channels', () => {
  test('a receive case on a closed, drained channel wins with done: true', async () => {
    const ch = new Channel<number>({ capacity: 2 });
    ch.trySend(1);
    ch.close();
    expect(await select({ r: ch.receiveCase() })).toEqual({ key: 'r', value: 1, done: false });
    expect(await select({ r: ch.receiveCase() })).toEqual({ key: 'r', value: undefined, done: true });
  });

  test('a parked receive case wins with done: true when its channel closes', async () => {
    const ch = new Channel<number>({ name: 'ch' });
    const other = new Channel<number>({ name: 'other' });
    const p = select({ r: ch.receiveCase(), o: other.receiveCase() });
    ch.close();
    expect(await p).toEqual({ key: 'r', value: undefined, done: true });
    expect(other.balance).toBe(0);
  });

  test('a send case on a closed channel is ready; chosen, the select rejects with ChannelClosedError(.value)', async () => {
    const ch = new Channel<string>({ name: 'ch' });
    const quiet = new Channel<string>({ name: 'quiet' });
    ch.close();
    const e = await rejection(select({ s: ch.sendCase('v'), q: quiet.receiveCase() }));
    expect(e).toBeInstanceOf(ChannelClosedError);
    expect(e.value).toBe('v');
    expect(quiet.balance).toBe(0);
  });

  test('a send case parked before the close keeps offering its value, like a parked send', async () => {
    const ch = new Channel<string>({ name: 'ch' });
    const p = select({ s: ch.sendCase('offered') });
    ch.close();
    expect(ch.closed).toBe(false);
    expect(await ch.receive()).toBe('offered');
    expect(await p).toEqual({ key: 's', value: undefined, done: false });
    expect(ch.closed).toBe(true);
  });
});

describe('select: the same channel in several cases', () => {
  test('sender and receiver on one rendezvous channel: it parks on both sides and never meets itself', async () => {
    const ch = new Channel<number>({ name: 'ch' });
    const p = select({ s: ch.sendCase(1), r: ch.receiveCase() });
    expect(ch.balance).toBe(0); // one parked sender, one parked receiver
    expect(await ch.receive()).toBe(1);
    expect(await p).toEqual({ key: 's', value: undefined, done: false });
    const q = select({ s: ch.sendCase(1), r: ch.receiveCase() });
    expect(ch.trySend(2)).toBe(true);
    expect(await q).toEqual({ key: 'r', value: 2, done: false });
    expect(ch.balance).toBe(0);
  });

  test('a select against a select on the same channel, both sides each: they pair up', async () => {
    const ch = new Channel<string>({ name: 'ch' });
    const p = select({ s: ch.sendCase('from p'), r: ch.receiveCase() });
    const q = await select({ s: ch.sendCase('from q'), r: ch.receiveCase() });
    const pr = await p;
    if (q.key === 'r') expect([q.value, pr.key]).toEqual(['from p', 's']);
    else expect([pr.key, pr.value]).toEqual(['r', 'from q']);
    expect(ch.balance).toBe(0);
  });

  test('sender and receiver on one buffered channel: whichever is possible', async () => {
    const ch = new Channel<number>({ capacity: 1 });
    expect(await select({ s: ch.sendCase(1), r: ch.receiveCase() })).toEqual({ key: 's', value: undefined, done: false });
    expect(await select({ s: ch.sendCase(2), r: ch.receiveCase() })).toEqual({ key: 'r', value: 1, done: false });
    expect(ch.length).toBe(0);
  });

  test('two receive cases on one channel: one value, one winner, nothing left parked', async () => {
    const ch = new Channel<number>();
    const p = select({ x: ch.receiveCase(), y: ch.receiveCase() });
    expect(ch.balance).toBe(-2);
    ch.trySend(3);
    expect(ch.balance).toBe(0);
    const r = await p;
    expect(['x', 'y']).toContain(r.key); // which one: at random (spec/regression/regression-parked-select-always-takes-first-key)
    expect(r).toEqual({ key: r.key, value: 3, done: false });
  });

  test('two receive cases on one channel with priority: the first key wins', async () => {
    const ch = new Channel<number>();
    const p = select({ x: ch.receiveCase(), y: ch.receiveCase() }, { priority: true });
    ch.trySend(3);
    expect(await p).toEqual({ key: 'x', value: 3, done: false });
    expect(ch.balance).toBe(0);
  });
});

describe('select: deadlock reports', () => {
  test('a tasklet stuck in a select is reported with each of its channels', async () => {
    const a = new Channel<number>({ name: 'alpha' });
    const b = new Channel<number>({ name: 'beta' });
    const t = tasklet(async () => select({ a: a.receiveCase(), b: b.sendCase(1) }), { name: 'stuck' })();
    const e = await rejection(run());
    expect(e).toBeInstanceOf(DeadlockError);
    expect(e.tasklets).toEqual([t]);
    expect(e.message).toMatch(/tasklet "stuck" \(#\d+\) selects: receives on channel "alpha", sends on channel "beta"/);
    await t.kill();
  });
});

describe('select: bad arguments', () => {
  test('TypeError/RangeError naming the argument and the value received', () => {
    const ch = new Channel<number>();
    expect(() => select({})).toThrow(TypeError);
    expect(() => select({})).toThrow(/select\(\): cases must hold at least one case, received an empty object/);
    expect(() => select(null as never)).toThrow(/select\(\): cases must be an object of named cases, received null/);
    expect(() => select([ch.receiveCase()] as never)).toThrow(/received an array/);
    expect(() => select({ a: 5 } as never)).toThrow(/case "a" must come from channel.receiveCase\(\) or channel.sendCase\(value\), received 5/);
    expect(() => select({ a: ch.receiveCase() }, { priority: 'yes' } as never)).toThrow(/option "priority" must be a boolean, received "yes"/);
    expect(() => select({ a: ch.receiveCase() }, { signal: {} } as never)).toThrow(/option "signal" must be an AbortSignal, received an object/);
    expect(() => select({ a: ch.receiveCase() }, { timeout: 5 } as never)).toThrow(/unknown option "timeout"/);
    expect(() => trySelect({})).toThrow(TypeError);
    expect(() => trySelect({ a: ch.receiveCase() }, { signal: new AbortController().signal } as never)).toThrow(/trySelect\(\): unknown option "signal"/);
    expect(() => setRandomSeed('1' as never)).toThrow(TypeError);
    expect(() => setRandomSeed(1.5)).toThrow(/setRandomSeed\(\): seed must be a safe integer, received 1.5/);
    expect(ch.balance).toBe(0);
  });

  test('options that are not an object, and unknown options, named with the function', () => {
    const ch = new Channel<number>({ name: 'c' });
    expect(() => select({ a: ch.receiveCase() }, 5 as never)).toThrow(/^select\(\): options must be an object, received 5$/);
    expect(() => select({ a: ch.receiveCase() }, null as never)).toThrow(/^select\(\): options must be an object, received null$/);
    expect(() => trySelect({ a: ch.receiveCase() }, 'fast' as never)).toThrow(/^trySelect\(\): options must be an object, received "fast"$/);
    expect(() => select({ a: ch.receiveCase() }, { timeout: 5 } as never)).toThrow(/^select\(\): unknown option "timeout" \(known: signal, priority\)$/);
    expect(() => trySelect({}, undefined)).toThrow(/^trySelect\(\): cases must hold at least one case/);
    expect(() => trySelect({ a: 1 } as never)).toThrow(/^trySelect\(\): case "a" must come from/);
    expect(ch.balance).toBe(0);
  });

  // Each shape fails exactly one part of the check: something AbortSignal-like must be a
  // non-null object with a boolean `aborted` and `addEventListener` and
  // `removeEventListener` functions.
  test.each([
    ['null', null, 'null'],
    ['a number', 5, '5'],
    ['a string', 'abort', '"abort"'],
    ['a function with the right members', Object.assign(() => {}, { aborted: false, addEventListener() {} }), 'a function'],
    ['an object whose aborted is not a boolean', { aborted: 'no', addEventListener() {} }, 'an object'],
    ['an object without addEventListener', { aborted: false }, 'an object'],
    ['an object whose addEventListener is not a function', { aborted: false, addEventListener: true }, 'an object'],
    ['an object without removeEventListener', { aborted: false, addEventListener() {} }, 'an object'],
    ['an object whose removeEventListener is not a function', { aborted: false, addEventListener() {}, removeEventListener: 1 }, 'an object'],
  ])('a signal that is %s: TypeError, nothing parked', (_name, signal, shown) => {
    const ch = new Channel<number>({ name: 'c' });
    expect(() => select({ a: ch.receiveCase() }, { signal } as never)).toThrow(TypeError);
    expect(() => select({ a: ch.receiveCase() }, { signal } as never)).toThrow(`select(): option "signal" must be an AbortSignal, received ${shown}`);
    expect(ch.balance).toBe(0);
  });

  test('an AbortSignal-like object (aborted, addEventListener, removeEventListener) is accepted', async () => {
    const ch = new Channel<number>({ name: 'c' });
    const listeners: unknown[] = [];
    const signal = { aborted: false, addEventListener: (_: string, l: unknown) => void listeners.push(l), removeEventListener: () => {} };
    const p = select({ a: ch.receiveCase() }, { signal } as never);
    expect(listeners).toHaveLength(1);
    expect(ch.trySend(7)).toBe(true);
    expect(await p).toEqual({ key: 'a', value: 7, done: false });
  });
});

describe('select: options and bookkeeping', () => {
  test('a select with a signal but no priority still chooses at random among ready cases', async () => {
    setRandomSeed(11);
    const a = new Channel<number>({ capacity: Infinity });
    const b = new Channel<number>({ capacity: Infinity });
    const signal = new AbortController().signal;
    const wins = { a: 0, b: 0 };
    for (let i = 0; i < 200; i++) {
      a.trySend(i);
      b.trySend(i);
      const r = await select({ a: a.receiveCase(), b: b.receiveCase() }, { signal });
      wins[r.key]++;
    }
    expect(wins.a).toBeGreaterThan(50);
    expect(wins.b).toBeGreaterThan(50);
  });

  test('a parked select that completes removes its abort listener', async () => {
    const ch = new Channel<number>();
    const ac = new AbortController();
    const p = select({ a: ch.receiveCase(), b: ch.sendCase(1) }, { signal: ac.signal });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    tasklet(async () => ch.send(2))();
    expect(await p).toEqual({ key: 'a', value: 2, done: false });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    ac.abort(); // too late: nothing happens
    await run();
  });

  test('the choice among ready cases is a recordable decision named "select"', () => {
    const a = new Channel<number>({ capacity: 1 });
    const b = new Channel<number>({ capacity: 1 });
    a.trySend(1);
    b.trySend(2);
    const recording = recordDecisions();
    try {
      const r = trySelect({ a: a.receiveCase(), b: b.receiveCase() })!;
      expect(recording.decisions).toEqual([{ where: 'select', n: 2, choice: r.key === 'a' ? 0 : 1 }]);
      trySelect({ a: a.receiveCase(), b: b.receiveCase() }); // one ready case left: no decision
      expect(recording.decisions).toHaveLength(1);
    } finally {
      recording.stop();
    }
  });

  test('a tasklet killed after a completed hand-off gets TaskletExit at its next select, and keeps what it received', async () => {
    const ch = new Channel<string>({ name: 'ch' });
    const ready = new Channel<number>({ capacity: 1 });
    ready.trySend(1);
    const seen: unknown[] = [];
    const t = tasklet(async () => {
      seen.push(await ch.receive());
      try {
        await select({ r: ready.receiveCase() });
        seen.push('select completed');
      } catch (e) {
        seen.push(e instanceof TaskletExit ? 'TaskletExit' : e);
        throw e;
      }
    })();
    await idle();
    expect(ch.trySend('sack')).toBe(true); // t is runnable with its value
    const killed = t.kill();
    await killed;
    expect(seen).toEqual(['sack', 'TaskletExit']);
    expect(ready.length).toBe(1); // the select took nothing
    expect(await t.join()).toBeUndefined();
  });

  test("another tasklet's owed kill does not touch a select in plain code", async () => {
    const ch = new Channel<string>();
    const ready = new Channel<number>({ capacity: 1 });
    ready.trySend(5);
    const t = tasklet(async () => {
      await ch.receive();
      await schedule();
    })();
    await idle();
    ch.trySend('x'); // t runnable, its receive completed
    const killed = t.kill(); // owed: lands at t's next operation
    expect(await select({ r: ready.receiveCase() })).toEqual({ key: 'r', value: 5, done: false });
    await killed;
    expect(t.alive).toBe(false);
  });
});

afterAll(async () => {
  await settle();
  expect(leftovers()).toEqual({ timers: 0, parkedPlain: 0 });
});
