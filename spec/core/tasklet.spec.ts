/**
 * Tasklets (SPEC.md "Tasklets and the run loop"): creation, join, kill, throw,
 * remove/insert, the state flags, getCurrent() and getRunCount().
 */
import { Channel, getCurrent, getRunCount, run, schedule, Tasklet, TaskletExit, tasklet } from '../../lib/index';
import { idle, stepLog, steps, watch } from '../helpers';
import { loopStats } from '../../lib/inspect/invariants';

/** The four flags of a tasklet, in one record so a failure shows them all. */
function flags(t: Tasklet<unknown>) {
  return { alive: t.alive, blocked: t.blocked, scheduled: t.scheduled, paused: t.paused };
}
const NEW_OR_RUNNABLE = { alive: true, blocked: false, scheduled: true, paused: false };
const BLOCKED = { alive: true, blocked: true, scheduled: true, paused: false };
const PAUSED = { alive: true, blocked: false, scheduled: false, paused: true };
const FINISHED = { alive: false, blocked: false, scheduled: false, paused: false };

describe('tasklet(fn, options)(...args)', () => {
  test('binds fn to the arguments and names the tasklet', async () => {
    const t = tasklet(async (a: number, b: string) => `${a}${b}`, { name: 'worker' })(1, 'x');
    expect(t).toBeInstanceOf(Tasklet);
    expect(t.name).toBe('worker');
    expect(await t.join()).toBe('1x');
  });

  test('nothing of fn runs synchronously, even for a plain (non-async) function', async () => {
    let ran = 0;
    const t1 = tasklet(() => {
      ran++;
      return 'sync';
    })();
    const t2 = tasklet(async () => {
      ran++;
    })();
    expect(ran).toBe(0);
    await run();
    expect(ran).toBe(2);
    expect(await t1.join()).toBe('sync');
    expect(await t2.join()).toBeUndefined();
  });

  test('a synchronous throw in fn fails the tasklet; it does not throw at the call', async () => {
    const boom = new Error('boom');
    const t = tasklet(() => {
      throw boom;
    })();
    await expect(t.join()).rejects.toBe(boom);
  });

  test('a function returning a thenable or a promise ends the tasklet with what it settles to, as await would', async () => {
    const thenable = { then: (resolve: (v: string) => void) => resolve('from a thenable') };
    const t1 = tasklet(() => thenable)();
    const t2 = tasklet(() => Promise.reject(new RangeError('no')))();
    const t3 = tasklet(() => new Promise((resolve) => setTimeout(() => resolve('later'), 1)))();
    const failed = t2.join().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(await t1.join()).toBe('from a thenable');
    expect(await failed).toBeInstanceOf(RangeError);
    expect(await t3.join()).toBe('later');
    for (const t of [t1, t2, t3]) expect(t.alive).toBe(false);
  });

  test('ids are unique integers, increasing with creation order', async () => {
    const ts = Array.from({ length: 6 }, () => tasklet(async () => {})());
    const ids = ts.map((t) => t.id);
    for (const id of ids) expect(Number.isInteger(id)).toBe(true);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
    await run();
    const later = tasklet(async () => {})();
    expect(later.id).toBeGreaterThan(ids[ids.length - 1]);
    await later.join();
  });

  test('one factory makes as many tasklets as it is called', async () => {
    const double = tasklet(async (n: number) => n * 2);
    const ts = [1, 2, 3].map((n) => double(n));
    expect(new Set(ts.map((t) => t.id)).size).toBe(3);
    expect(await Promise.all(ts.map((t) => t.join()))).toEqual([2, 4, 6]);
  });
});

describe('join()', () => {
  test('resolves with the result; any number of times, before and after the end', async () => {
    const ch = new Channel<number>();
    const t = tasklet(async () => (await ch.receive()) + 1)();
    const before = [t.join(), t.join()];
    await idle();
    expect(t.alive).toBe(true);
    await ch.send(41);
    expect(await Promise.all(before)).toEqual([42, 42]);
    expect(t.alive).toBe(false);
    expect(await t.join()).toBe(42);
    expect(await t.join()).toBe(42);
  });

  test('rejects with the error, every time', async () => {
    const boom = new Error('boom');
    const t = tasklet(async () => {
      await schedule();
      throw boom;
    })();
    const first = t.join();
    await expect(first).rejects.toBe(boom);
    await expect(t.join()).rejects.toBe(boom);
    await expect(t.join()).rejects.toBe(boom);
  });

  test('a tasklet can join another: it waits until the other has finished', async () => {
    const { log, entries } = stepLog();
    const ch = new Channel<string>();
    const worker = tasklet(async () => {
      log('worker waits');
      const v = await ch.receive();
      log('worker done');
      return v;
    })();
    const boss: Tasklet<boolean> = tasklet(async (): Promise<boolean> => {
      log('boss joins');
      const v = await worker.join();
      log(`boss got ${v}`);
      return getCurrent() === boss;
    })();
    await idle();
    expect(boss.alive).toBe(true);
    await ch.send('work');
    expect(await boss.join()).toBe(true);
    expect(entries).toEqual(steps('worker waits', 'boss joins', 'worker done', 'boss got work'));
  });
});

describe('kill()', () => {
  test('unparks the tasklet and throws TaskletExit at its suspension point; finally runs; join resolves undefined', async () => {
    const ch = new Channel<string>();
    const seen: string[] = [];
    const t = tasklet(async () => {
      try {
        await ch.receive();
        seen.push('received');
      } catch (e) {
        seen.push(e instanceof TaskletExit ? 'TaskletExit' : `other: ${e}`);
        throw e;
      } finally {
        seen.push('finally');
      }
      return 'not reached';
    })();
    await idle();
    expect(t.blocked).toBe(true);
    expect(ch.balance).toBe(-1);
    await t.kill();
    expect(seen).toEqual(['TaskletExit', 'finally']);
    expect(flags(t)).toEqual(FINISHED);
    expect(ch.balance).toBe(0);
    expect(await t.join()).toBeUndefined();
  });

  test('TaskletExit is an Error', async () => {
    let caught: unknown;
    const t = tasklet(async () => {
      try {
        await new Channel().receive();
      } catch (e) {
        caught = e;
      }
    })();
    await idle();
    await t.kill();
    expect(caught).toBeInstanceOf(TaskletExit);
    expect(caught).toBeInstanceOf(Error);
  });

  test('resolves only once the tasklet has finished unwinding, async finally blocks included', async () => {
    const { log, entries } = stepLog();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const t = tasklet(async () => {
      try {
        await new Channel().receive();
      } finally {
        log('unwinding');
        await schedule();
        await gate; // something outside the library
        await schedule();
        log('unwound');
      }
    })();
    await idle();
    const killed = watch(t.kill().then(() => log('kill resolved')));
    await idle();
    expect(killed.settled).toBe(false);
    expect(t.alive).toBe(true);
    open();
    await t.join();
    await idle();
    expect(killed.fulfilled).toBe(true);
    expect(entries).toEqual(steps('unwinding', 'unwound', 'kill resolved'));
  });

  test('a tasklet that catches TaskletExit may finish its own way; kill still resolves undefined', async () => {
    const t = tasklet(async () => {
      try {
        await new Channel().receive();
      } catch {
        return 'cleaned up';
      }
      return 'not reached';
    })();
    await idle();
    expect(await t.kill()).toBeUndefined();
    expect(await t.join()).toBe('cleaned up');
  });

  test('a runnable tasklet gets TaskletExit at the schedule() it awaits', async () => {
    const { log, entries } = stepLog();
    const t = tasklet(async () => {
      log('t 1');
      try {
        await schedule();
        log('t 2');
      } catch (e) {
        log(e instanceof TaskletExit ? 't exits at schedule()' : 'other');
        throw e;
      }
    })();
    tasklet(async () => {
      log('killer kills');
      await t.kill();
      log('killer done');
    })();
    await run();
    expect(entries).toEqual(steps('t 1', 'killer kills', 't exits at schedule()', 'killer done'));
    expect(await t.join()).toBeUndefined();
  });

  test('a tasklet that never started just ends: fn never runs', async () => {
    let ran = false;
    const t = tasklet(async () => {
      ran = true;
    })();
    const before = getRunCount();
    await t.kill();
    expect(flags(t)).toEqual(FINISHED);
    expect(getRunCount()).toBe(before - 1);
    await run();
    expect(ran).toBe(false);
    expect(await t.join()).toBeUndefined();
  });

  test('no-op on a finished tasklet: its result stands', async () => {
    const t = tasklet(async () => 42)();
    expect(await t.join()).toBe(42);
    await t.kill();
    await t.kill();
    expect(await t.join()).toBe(42);
    const boom = new Error('boom');
    const failed = tasklet(async () => {
      throw boom;
    })();
    await expect(failed.join()).rejects.toBe(boom);
    await failed.kill();
    await expect(failed.join()).rejects.toBe(boom);
  });

  test('killing an unjoined tasklet is quiet: run() resolves, nothing goes unhandled', async () => {
    const ts = [tasklet(async () => new Channel().receive())(), tasklet(async () => new Channel().send(1))()];
    await idle();
    for (const t of ts) await t.kill();
    await expect(run()).resolves.toBeUndefined();
    // The harness fails the test if a TaskletExit surfaced as an unhandled rejection.
  });

  test('a paused tasklet can be killed: it unwinds from where it was', async () => {
    const { log, entries } = stepLog();
    const t = tasklet(async () => {
      log('t 1');
      try {
        await schedule();
        log('t 2');
      } finally {
        log('t finally');
      }
    })();
    tasklet(async () => {
      t.remove();
      log('t removed');
    })();
    await idle();
    expect(flags(t)).toEqual(PAUSED);
    await t.kill();
    expect(flags(t)).toEqual(FINISHED);
    expect(entries).toEqual(steps('t 1', 't removed', 't finally'));
  });
});

describe('throw(error)', () => {
  test('throws the error at the suspension point; escaping, it fails the tasklet', async () => {
    const ch = new Channel<string>();
    const seen: unknown[] = [];
    const t = tasklet(async () => {
      try {
        await ch.receive();
      } catch (e) {
        seen.push(e);
        throw e;
      }
    })();
    const joined = t.join().then(
      () => 'fulfilled',
      (e: unknown) => e,
    );
    await idle();
    const stop = new Error('stop');
    await t.throw(stop);
    expect(seen).toEqual([stop]);
    expect(await joined).toBe(stop);
    expect(flags(t)).toEqual(FINISHED);
    expect(ch.balance).toBe(0);
  });

  test('caught, the tasklet carries on; throw() resolves once it has finished', async () => {
    const ch = new Channel<string>();
    const t = tasklet(async () => {
      try {
        await ch.receive();
      } catch (e) {
        return `handled ${(e as Error).message}`;
      }
      return 'not reached';
    })();
    await idle();
    await t.throw(new Error('nudge'));
    expect(t.alive).toBe(false);
    expect(await t.join()).toBe('handled nudge');
  });

  test('no-op on a finished tasklet', async () => {
    const t = tasklet(async () => 'done')();
    await t.join();
    await t.throw(new Error('late'));
    expect(await t.join()).toBe('done');
  });
});

describe('remove() and insert()', () => {
  test('remove() pauses a new tasklet: it does not run and does not keep run() waiting; insert() runs it', async () => {
    let ran = false;
    const t = tasklet(async () => {
      ran = true;
      return 'ran';
    })();
    expect(getRunCount()).toBe(1);
    expect(t.remove()).toBe(t);
    expect(flags(t)).toEqual(PAUSED);
    expect(getRunCount()).toBe(0);
    await run();
    await idle();
    expect(ran).toBe(false);
    expect(t.insert()).toBe(t);
    expect(flags(t)).toEqual(NEW_OR_RUNNABLE);
    expect(getRunCount()).toBe(1);
    expect(await t.join()).toBe('ran');
  });

  test('insert() puts the tasklet back at the tail of the run queue', async () => {
    const { log, entries } = stepLog();
    const a = tasklet(async () => log('a'))();
    tasklet(async () => log('b'))();
    a.remove();
    tasklet(async () => log('c'))();
    a.insert();
    tasklet(async () => log('d'))();
    await run();
    expect(entries).toEqual(steps('b', 'c', 'a', 'd'));
  });

  test('a tasklet paused after schedule() resumes from there when inserted', async () => {
    const { log, entries } = stepLog();
    const t = tasklet(async () => {
      log('t 1');
      await schedule();
      log('t 2');
    })();
    tasklet(async () => {
      log('remover');
      t.remove();
    })();
    await run();
    expect(flags(t)).toEqual(PAUSED);
    log('insert');
    t.insert();
    await run();
    expect(entries).toEqual(steps('t 1', 'remover', 'insert', 't 2'));
  });

  test('a tasklet paused right after a hand-off keeps the value it was given', async () => {
    const ch = new Channel<string>();
    const r = tasklet(async () => ch.receive())();
    await idle();
    expect(ch.trySend('v')).toBe(true);
    expect(flags(r)).toEqual(NEW_OR_RUNNABLE);
    r.remove();
    expect(flags(r)).toEqual(PAUSED);
    await run();
    expect(r.alive).toBe(true);
    expect(ch.balance).toBe(0);
    r.insert();
    expect(await r.join()).toBe('v');
  });

  test('remove() and insert() are no-ops on a paused and on a scheduled tasklet respectively', async () => {
    const t = tasklet(async () => 1)();
    t.remove();
    t.remove();
    expect(flags(t)).toEqual(PAUSED);
    t.insert();
    t.insert();
    expect(getRunCount()).toBe(1);
    expect(await t.join()).toBe(1);
  });

  test('a paused tasklet that never ran can be killed: it ends without running, no longer counted as paused', async () => {
    let ran = false;
    const t = tasklet(async () => {
      ran = true;
    })().remove();
    await t.kill();
    expect(flags(t)).toEqual(FINISHED);
    expect(loopStats().paused).toBe(0);
    await run();
    expect(ran).toBe(false);
    expect(await t.join()).toBeUndefined();
  });
});

describe('state flags', () => {
  test('in each state: new, running, runnable, blocked, paused, finished, failed, killed', async () => {
    const ch = new Channel<string>();
    const seen: Record<string, unknown> = {};
    const t = tasklet(async () => {
      seen.running = flags(t);
      await schedule();
      await ch.receive();
      return 'ok';
    })();
    expect(flags(t)).toEqual(NEW_OR_RUNNABLE);
    tasklet(async () => {
      seen.runnable = flags(t);
    })();
    await idle();
    expect(seen.running).toEqual(NEW_OR_RUNNABLE);
    expect(seen.runnable).toEqual(NEW_OR_RUNNABLE);
    expect(flags(t)).toEqual(BLOCKED);
    await ch.send('x');
    await t.join();
    expect(flags(t)).toEqual(FINISHED);

    const failed = tasklet(async () => {
      throw new Error('x');
    })();
    await failed.join().catch(() => undefined);
    expect(flags(failed)).toEqual(FINISHED);

    const killed = tasklet(async () => ch.receive())();
    await idle();
    expect(flags(killed)).toEqual(BLOCKED);
    try {
      killed.remove();
    } catch {
      // only a runnable tasklet can be removed: refused or ignored
    }
    expect(flags(killed)).toEqual(BLOCKED);
    await killed.kill();
    expect(flags(killed)).toEqual(FINISHED);
  });
});

describe('getCurrent()', () => {
  test('inside a tasklet it is that tasklet, also after awaiting library operations', async () => {
    const ch = new Channel<number>();
    const results: boolean[] = [];
    const mine = tasklet(async () => {
      results.push(getCurrent() === mine);
      await schedule();
      results.push(getCurrent() === mine);
      await ch.send(1);
      results.push(getCurrent() === mine);
      await ch.receive();
      results.push(getCurrent() === mine);
      await other.join();
      results.push(getCurrent() === mine);
    })();
    const other: Tasklet<boolean> = tasklet(async (): Promise<boolean> => {
      const self: boolean = getCurrent() === other;
      await ch.receive();
      await ch.send(2);
      return self && getCurrent() === other;
    })();
    await mine.join();
    expect(results).toEqual([true, true, true, true, true]);
    expect(await other.join()).toBe(true);
  });

  test('undefined in plain code, also after awaiting library operations', async () => {
    expect(getCurrent()).toBeUndefined();
    const ch = new Channel<number>();
    const t = tasklet(async () => ch.receive())();
    await schedule();
    expect(getCurrent()).toBeUndefined();
    await ch.send(1);
    expect(getCurrent()).toBeUndefined();
    await t.join();
    expect(getCurrent()).toBeUndefined();
    await run();
    expect(getCurrent()).toBeUndefined();
  });
});

describe('getRunCount()', () => {
  test('counts runnable tasklets: new ones until they start, not blocked or paused ones', async () => {
    const ch = new Channel<number>();
    expect(getRunCount()).toBe(0);
    const a = tasklet(async () => ch.receive())();
    const b = tasklet(async () => ch.receive())();
    const c = tasklet(async () => {
      return getRunCount();
    })();
    expect(getRunCount()).toBe(3);
    c.remove();
    expect(getRunCount()).toBe(2);
    await idle();
    expect(getRunCount()).toBe(0); // a and b are blocked, c is paused
    c.insert();
    expect(getRunCount()).toBe(1);
    // Inside c: c itself is running; a and b are still blocked.
    expect(await c.join()).toBe(1);
    const spinners = [1, 2].map(() =>
      tasklet(async () => {
        await schedule();
        return getRunCount();
      })(),
    );
    expect(await Promise.all(spinners.map((t) => t.join()))).toEqual([2, 1]);
    await ch.send(1);
    await ch.send(2);
    await Promise.all([a.join(), b.join()]);
    expect(getRunCount()).toBe(0);
  });
});
