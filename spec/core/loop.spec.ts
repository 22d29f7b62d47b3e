/**
 * The run loop (SPEC.md "Tasklets and the run loop"): run() and how it settles,
 * deadlock detection, waiting outside the library, fairness to the host, deep
 * hand-off chains without stack growth, and errors that nobody handles.
 */
import { Channel, DeadlockError, run, schedule, Tasklet, tasklet } from '../../lib/index';
import { assertLoopInvariants } from '../../lib/inspect/invariants';
import { BATCH, setPickPolicy } from '../../lib/core/loop';
import { idle, rejection, runFixture, stepLog, steps, watch } from '../helpers';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('run()', () => {
  test('resolves at once when no tasklet is alive', async () => {
    await expect(run()).resolves.toBeUndefined();
  });

  test('resolves when every tasklet has finished, not before', async () => {
    const ch = new Channel<number>();
    const { log, entries } = stepLog();
    tasklet(async () => {
      for (let i = 0; i < 3; i++) await ch.send(i);
      log('producer done');
    })();
    tasklet(async () => {
      for (let i = 0; i < 3; i++) await ch.receive();
      await schedule();
      log('consumer done');
    })();
    await run();
    log('run resolved');
    expect(entries).toEqual(steps('producer done', 'consumer done', 'run resolved'));
  });

  test('several pending run() calls all resolve', async () => {
    tasklet(async () => {
      for (let i = 0; i < 5; i++) await schedule();
    })();
    await expect(Promise.all([run(), run(), run()])).resolves.toEqual([undefined, undefined, undefined]);
  });

  test('is optional: the loop starts by itself whenever work is runnable', async () => {
    let ran = false;
    tasklet(async () => {
      await schedule();
      ran = true;
    })();
    await idle();
    expect(ran).toBe(true);
  });

  test('rejects at once with an error that escaped a tasklet nobody joined; the others go on', async () => {
    const { log, entries } = stepLog();
    const boom = new Error('boom');
    tasklet(async () => {
      log('bad throws');
      throw boom;
    })();
    const good = tasklet(async () => {
      for (let i = 1; i <= 5; i++) {
        log(`good ${i}`);
        await schedule();
      }
      return 'ok';
    })();
    const outcome = await run().then(
      (value) => ({ resolved: value }),
      (error: unknown) => ({ rejected: error }),
    );
    expect(outcome).toEqual({ rejected: boom });
    expect(good.alive).toBe(true);
    expect(entries.length).toBeLessThan(6);
    await run();
    expect(await good.join()).toBe('ok');
    expect(entries).toEqual(steps('bad throws', 'good 1', 'good 2', 'good 3', 'good 4', 'good 5'));
  });

  test('an error from a joined tasklet goes to the joiner, not to run()', async () => {
    const boom = new Error('boom');
    const t = tasklet(async () => {
      await schedule();
      throw boom;
    })();
    const joined = rejection(t.join());
    await expect(run()).resolves.toBeUndefined();
    expect(await joined).toBe(boom);
  });

  test('paused tasklets do not keep it waiting', async () => {
    const started = tasklet(async () => {
      await schedule();
      return 'resumed';
    })();
    const fresh = tasklet(async () => 'started')();
    fresh.remove();
    tasklet(async () => {
      started.remove();
    })();
    await run();
    expect(started.paused).toBe(true);
    expect(fresh.paused).toBe(true);
    started.insert();
    fresh.insert();
    await run();
    expect(await started.join()).toBe('resumed');
    expect(await fresh.join()).toBe('started');
  });

  test('a tasklet awaiting a timer is waiting outside, not deadlocked', async () => {
    const ch = new Channel<string>();
    const receiver = tasklet(async () => ch.receive())();
    tasklet(async () => {
      await sleep(30);
      await ch.send('late');
    })();
    const t0 = Date.now();
    await run();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(await receiver.join()).toBe('late');
  });

  test('a tasklet awaiting a foreign promise is waiting outside, not deadlocked', async () => {
    let resolve!: (v: string) => void;
    const foreign = new Promise<string>((r) => (resolve = r));
    const t = tasklet(async () => `got ${await foreign}`)();
    const pending = watch(run());
    await sleep(20);
    expect(pending.settled).toBe(false);
    resolve('it');
    await sleep(5);
    expect(pending.fulfilled).toBe(true);
    expect(await t.join()).toBe('got it');
  });
});

describe('run() and the host', () => {
  test('with only paused tasklets alive, run() resolves before the host gets a turn', async () => {
    const t = tasklet(async () => 'later')().remove();
    const order: string[] = [];
    setImmediate(() => order.push('host'));
    await run().then(() => order.push('run() resolved'));
    expect(order).toEqual(['run() resolved']);
    t.insert();
    expect(await t.join()).toBe('later');
  });

  /** Samples `count()` at each of `turns` host turns (setImmediate, like the pulse), then calls `stop()`. */
  function sampleHostTurns(turns: number, count: () => number, stop: () => void): Promise<number[]> {
    const gaps: number[] = [];
    let last = count();
    return new Promise((resolve) => {
      const tick = () => {
        const now = count();
        gaps.push(now - last);
        last = now;
        if (gaps.length < turns) setImmediate(tick);
        else {
          stop();
          resolve(gaps);
        }
      };
      setImmediate(tick);
    });
  }

  test('two tasklets that hand off for ever give the host a turn after every BATCH settlements', async () => {
    const ch = new Channel<number>();
    let hops = 0;
    let stop = false;
    tasklet(async () => {
      while (!stop) {
        await ch.send(hops);
        hops++;
      }
      ch.close();
    })();
    tasklet(async () => {
      for await (const _ of ch) hops++;
    })();
    const gaps = await sampleHostTurns(
      10,
      () => hops,
      () => (stop = true),
    );
    await run();
    // Each completed send and receive resumes its party once: one settlement each. The
    // first turn also started both tasklets.
    expect(Math.max(...gaps)).toBe(BATCH);
    expect(gaps.slice(1).every((g) => g === BATCH)).toBe(true);
  });

  test('a tasklet whose sends never park still yields to the host after every BATCH settlements', async () => {
    const ch = new Channel<number>({ capacity: Infinity });
    let sent = 0;
    let stop = false;
    tasklet(async () => {
      while (!stop) {
        await ch.send(sent);
        sent++;
      }
    })();
    const gaps = await sampleHostTurns(
      10,
      () => sent,
      () => (stop = true),
    );
    await run();
    // Each batch: BATCH - 1 sends that complete at once, and the settlement that
    // resumes the tasklet after it stepped back.
    expect(Math.max(...gaps)).toBe(BATCH - 1);
    expect(gaps.slice(1).every((g) => g === BATCH - 1)).toBe(true);
  });
});

describe('the pick policy (a test hook: which runnable party resumes next)', () => {
  test('picking the last runnable party each time starts three tasklets in reverse order', async () => {
    const { log, entries } = stepLog();
    const before = setPickPolicy((live) => live - 1);
    try {
      for (const name of ['a', 'b', 'c']) tasklet(async () => log(name))();
      await run();
    } finally {
      setPickPolicy(before);
    }
    expect(entries).toEqual(steps('c', 'b', 'a'));
  });

  test('entries left dead on the run queue (a removed tasklet) are not counted or picked', async () => {
    const { log, entries } = stepLog();
    const ts = ['a', 'b', 'c', 'd'].map((name) => tasklet(async () => log(name))());
    ts[0].remove();
    ts[2].remove(); // the queue now holds: a (dead), b, c (dead), d
    const seen: number[] = [];
    const before = setPickPolicy((live) => {
      seen.push(live);
      return live - 1;
    });
    try {
      await run();
    } finally {
      setPickPolicy(before);
    }
    expect(entries).toEqual(steps('d', 'b'));
    expect(seen.slice(0, 2)).toEqual([2, 1]);
    ts[0].insert();
    ts[2].insert();
    await run();
    expect(entries).toEqual(steps('d', 'b', 'a', 'c'));
  });
});

describe('a deferred kill owed twice', () => {
  test('killing twice a tasklet that owes a deferred kill counts it once, and it ends once', async () => {
    const ch = new Channel<string>();
    const t = tasklet(async () => {
      await ch.receive();
      await schedule();
    })();
    await idle();
    ch.trySend('x'); // runnable, its receive completed: a kill is owed, not thrown now
    const first = t.kill();
    const second = t.kill();
    assertLoopInvariants(); // one owed throw, counted once
    await Promise.all([first, second]);
    expect(t.alive).toBe(false);
  });
});

describe('a fresh loop (a module instance of its own, as a program starts)', () => {
  function freshLibrary(): { lib: typeof import('../../lib/index'); loop: typeof import('../../lib/core/loop') } {
    let fresh!: { lib: typeof import('../../lib/index'); loop: typeof import('../../lib/core/loop') };
    jest.isolateModules(() => {
      fresh = { lib: require('../../lib/index'), loop: require('../../lib/core/loop') };
    });
    return fresh;
  }

  test("a tasklet created from plain code starts by itself, before the host's next turn", async () => {
    const { lib } = freshLibrary();
    let ran = false;
    lib.tasklet(() => {
      ran = true;
    })();
    expect(ran).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(true);
  });

  test('run() settles after a tasklet that waited outside the library', async () => {
    const { lib } = freshLibrary();
    const t = lib.tasklet(async () => {
      await sleep(1);
      return 'back';
    })();
    await lib.run();
    expect(await t.join()).toBe('back');
  });

  // The pick policy is a test hook (lib/core/loop.ts); a bad index must not pick a wrong party.
  test.each([
    ['past the end', (live: number) => live],
    ['negative', () => -1],
    ['fractional', () => 0.5],
    ['NaN', () => NaN],
  ])('a pick policy returning an index %s: RangeError from the operation that ended the slice', async (_name, bad) => {
    const { lib, loop } = freshLibrary();
    const ch = new lib.Channel<number>();
    let calls = 0;
    loop.setPickPolicy((live) => (calls++ === 0 ? 0 : bad(live)));
    let caught: unknown;
    lib.tasklet(() => {
      try {
        void ch.send(1); // parks: the slice ends and the loop asks the policy
      } catch (e) {
        caught = e;
      }
    })();
    lib.tasklet(() => {})();
    await new Promise((resolve) => setImmediate(resolve));
    loop.setPickPolicy(null);
    expect(caught).toBeInstanceOf(RangeError);
    expect((caught as Error).message).toMatch(/^tasklets: the pick policy must return an integer in \[0, 1\), returned /);
  });
});

describe('deadlock', () => {
  test('run() rejects with DeadlockError naming every parked tasklet, its channel and what it does', async () => {
    const inbox = new Channel<string>({ name: 'inbox' });
    const outbox = new Channel<string>({ name: 'outbox' });
    const alice = tasklet(async () => inbox.receive(), { name: 'alice' })();
    const bob = tasklet(async () => outbox.send('letter'), { name: 'bob' })();
    const carol = tasklet(async () => 'done', { name: 'carol' })();
    const error = await rejection(run());
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error).toBeInstanceOf(Error);
    const e = error as DeadlockError;
    expect(e.name).toBe('DeadlockError');
    expect([...e.tasklets].sort((x, y) => x.id - y.id)).toEqual([alice, bob]);
    const lines = e.message.split('\n');
    const aliceLine = lines.find((l) => l.includes('alice'));
    const bobLine = lines.find((l) => l.includes('bob'));
    expect(aliceLine).toMatch(/inbox/);
    expect(aliceLine).toMatch(/receiv/);
    expect(aliceLine).not.toMatch(/outbox|send/);
    expect(bobLine).toMatch(/outbox/);
    expect(bobLine).toMatch(/send/);
    expect(bobLine).not.toMatch(/inbox|receiv/);
    expect(e.message).not.toMatch(/carol/);
    expect(await carol.join()).toBe('done');

    // The tasklets stay parked: they can be fed or killed, and run() can be called again.
    expect(alice.blocked && bob.blocked).toBe(true);
    expect([inbox.balance, outbox.balance]).toEqual([-1, 1]);
    await expect(run()).rejects.toBeInstanceOf(DeadlockError);
    await inbox.send('hello');
    expect(await alice.join()).toBe('hello');
    const again = (await run().catch((x: unknown) => x)) as DeadlockError;
    expect(again).toBeInstanceOf(DeadlockError);
    expect(again.tasklets).toEqual([bob]);
    expect(again.message).not.toMatch(/alice/);
    await bob.kill();
    await expect(run()).resolves.toBeUndefined();
  });

  test('paused tasklets are not reported; with only paused ones left, run() resolves', async () => {
    const ch = new Channel<number>({ name: 'queue' });
    const parked = tasklet(async () => ch.receive(), { name: 'parked' })();
    const paused = tasklet(async () => 'later', { name: 'paused' })().remove();
    const both = await Promise.all([rejection(run()), rejection(run())]);
    for (const e of both) {
      expect(e).toBeInstanceOf(DeadlockError);
      expect((e as DeadlockError).tasklets).toEqual([parked]);
      expect((e as Error).message).not.toMatch(/paused/);
    }
    await parked.kill();
    await expect(run()).resolves.toBeUndefined();
    expect(paused.alive).toBe(true);
    paused.insert();
    expect(await paused.join()).toBe('later');
  });

  test('a ring of tasklets each waiting on the next: all named', async () => {
    const n = 4;
    const chans = Array.from({ length: n }, (_, i) => new Channel<number>({ name: `link ${i}` }));
    const ring = chans.map((ch, i) =>
      tasklet(
        async () => {
          const v = await ch.receive();
          await chans[(i + 1) % n].send(v);
        },
        { name: `node ${i}` },
      )(),
    );
    const e = (await run().catch((x: unknown) => x)) as DeadlockError;
    expect(e).toBeInstanceOf(DeadlockError);
    expect(e.tasklets).toHaveLength(n);
    for (let i = 0; i < n; i++) expect(e.message).toMatch(new RegExp(`node ${i}.*link ${i}`));
    for (const t of ring) await t.kill();
  });

  test('a parked tasklet that a waiting-outside tasklet will feed is not a deadlock yet; once it is, run() says so', async () => {
    const ch = new Channel<string>({ name: 'mailbox' });
    const reader = tasklet(
      async () => {
        const first = await ch.receive();
        const second = await ch.receive(); // nobody sends this one
        return [first, second];
      },
      { name: 'reader' },
    )();
    const joined = reader.join().catch((x: unknown) => x);
    tasklet(async () => {
      await sleep(20);
      // Back in the library through schedule(), then a send.
      await ch.send('one');
    })();
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeadlockError);
    expect((e as DeadlockError).tasklets).toEqual([reader]);
    expect((e as Error).message).toMatch(/reader.*mailbox/);
    await reader.kill();
    expect(await joined).toBeUndefined();
  });
});

describe('fairness to the host (in a child process, so a starved host fails instead of hanging Jest)', () => {
  test('a setTimeout(0) and a setImmediate fire while two tasklets ping-pong forever and one spins on schedule()', async () => {
    type Counts = { handoffs: number; spins: number };
    const report = await runFixture<{ atTimer: Counts; atImmediate: Counts; alive: number }>('fairness');
    expect(report.atTimer.handoffs).toBeGreaterThan(0);
    expect(report.atTimer.spins).toBeGreaterThan(0);
    // They kept going between the timer and the immediate, and stopped when killed.
    expect(report.atImmediate.handoffs).toBeGreaterThan(report.atTimer.handoffs);
    expect(report.atImmediate.spins).toBeGreaterThan(report.atTimer.spins);
    expect(report.alive).toBe(0);
  });
});

describe('no stack growth', () => {
  test('1,000,000 back-to-back hand-offs on a rendezvous channel', async () => {
    const ch = new Channel<number>();
    const n = 1_000_000;
    tasklet(async () => {
      for (let i = 0; i < n; i++) await ch.send(i);
    })();
    const receiver = tasklet(async () => {
      let sum = 0;
      let inOrder = true;
      for (let i = 0; i < n; i++) {
        const v = await ch.receive();
        if (v !== i) inOrder = false;
        sum += v;
      }
      return { sum, inOrder };
    })();
    await run();
    expect(await receiver.join()).toEqual({ sum: (n * (n - 1)) / 2, inOrder: true });
  });

  test('a 10,000-stage relay pipeline', async () => {
    const stages = 10_000;
    const chans = Array.from({ length: stages + 1 }, () => new Channel<number>());
    for (let i = 0; i < stages; i++) {
      tasklet(async () => {
        for await (const v of chans[i]) await chans[i + 1].send(v + 1);
        chans[i + 1].close();
      })();
    }
    const sink = tasklet(async () => {
      const got: number[] = [];
      for await (const v of chans[stages]) got.push(v);
      return got;
    })();
    tasklet(async () => {
      await chans[0].sendSequence([0, 1_000_000, 2_000_000]);
      chans[0].close();
    })();
    await run();
    expect(await sink.join()).toEqual([stages, 1_000_000 + stages, 2_000_000 + stages]);
  });

  test('a chain of 10,000 tasklets each joining the next', async () => {
    const n = 10_000;
    const ts: Tasklet<number>[] = [];
    for (let i = 0; i < n; i++) {
      ts.push(tasklet(async (): Promise<number> => (i === n - 1 ? 0 : (await ts[i + 1].join()) + 1))());
    }
    await run();
    expect(await ts[0].join()).toBe(n - 1);
  });
});

describe('errors nobody handles (observed in a child process)', () => {
  /** What spec/fixtures/escaped-errors.ts reports: indexes of the errors Node reported unhandled, and what observers saw. */
  type Report = { unhandled: number[]; observed: string[] };
  const reports: Record<string, Promise<Report>> = {};
  beforeAll(() => {
    // Start all four child processes at once; each test awaits its own.
    for (const scenario of ['nobody', 'two', 'joined', 'run']) {
      reports[scenario] = runFixture<Report>('escaped-errors', scenario);
      reports[scenario].catch(() => undefined);
    }
  });

  test('an escaped error with no joiner and no pending run() surfaces as exactly one unhandled rejection', async () => {
    expect(await reports.nobody).toEqual({ unhandled: [0], observed: [] });
  });

  test('two such errors surface once each', async () => {
    const report = await reports.two;
    expect([...report.unhandled].sort()).toEqual([0, 1]);
  });

  test('with a joiner, the join rejects with it and nothing is unhandled', async () => {
    expect(await reports.joined).toEqual({ unhandled: [], observed: ['join rejected: true'] });
  });

  test('with a pending run(), run() rejects with it and nothing is unhandled', async () => {
    expect(await reports.run).toEqual({ unhandled: [], observed: ['run rejected: true'] });
  });
});
