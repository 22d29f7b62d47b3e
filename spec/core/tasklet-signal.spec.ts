/**
 * `tasklet(fn, { signal })`: aborting the signal kills the tasklet (issue 13, part 8).
 * Before, the option was refused ("unknown option").
 */
import { getEventListeners } from 'node:events';
import { main as shutdownSignal } from '../../examples/shutdown-signal';
import { Channel, getRunCount, run, schedule, Tasklet, TaskletExit, tasklet } from '../../lib/index';
import { failure, idle, stepLog, steps } from '../helpers';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('tasklet(fn, { signal })', () => {
  it('refuses a signal that is not an AbortSignal, naming the option and what it received', async () => {
    const fn = async (): Promise<void> => {};
    for (const [bad, shown] of [
      [{}, 'an object'],
      [null, 'null'],
      ['yes', '"yes"'],
      [new EventTarget(), 'an instance of EventTarget'],
    ] as const) {
      const e = (await failure(() => tasklet(fn, { signal: bad as unknown as AbortSignal }))) as Error;
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe(`tasklet(): option "signal" must be an AbortSignal, received ${shown}`);
    }
    expect(() => tasklet(fn, { signal: undefined })).not.toThrow();
  });

  it('kills a parked tasklet when aborted: TaskletExit where it waits, finally runs, join() resolves undefined, the channel as if never tried', async () => {
    const { log, entries } = stepLog();
    const controller = new AbortController();
    const jobs = new Channel<number>({ name: 'jobs' });
    const t = tasklet(
      async () => {
        try {
          await jobs.receive();
          log('received');
        } catch (e) {
          log(`caught ${(e as Error).name}: ${(e as Error).message}`);
          throw e;
        } finally {
          log('finally');
        }
        return 'done';
      },
      { name: 'worker', signal: controller.signal },
    )();
    await idle();
    expect(jobs.balance).toBe(-1);
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(await t.join()).toBeUndefined();
    expect(t.alive).toBe(false);
    expect(jobs.balance).toBe(0);
    expect(listeners(controller.signal)).toBe(0);
    expect(entries).toEqual(steps(`caught TaskletExit: tasklet "worker" (#${t.id}) was killed: its signal was aborted`, 'finally'));
    await run();
  });

  it('never runs a tasklet whose signal is already aborted: it is created finished', async () => {
    let ran = false;
    const spawn = tasklet(
      async () => {
        ran = true;
      },
      { signal: AbortSignal.abort() },
    );
    const before = getRunCount();
    const t = spawn();
    expect(t).toBeInstanceOf(Tasklet);
    expect(t.alive).toBe(false);
    expect(getRunCount()).toBe(before);
    expect(await t.join()).toBeUndefined();
    await run();
    expect(ran).toBe(false);
  });

  it('never runs a tasklet whose signal aborts before it starts', async () => {
    const controller = new AbortController();
    let ran = false;
    const t = tasklet(
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    )();
    expect(t.alive).toBe(true);
    controller.abort();
    expect(t.alive).toBe(false);
    expect(await t.join()).toBeUndefined();
    expect(ran).toBe(false);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('a tasklet that aborts its own signal gets TaskletExit at its next library operation, not at abort()', async () => {
    const { log, entries } = stepLog();
    const controller = new AbortController();
    const t = tasklet(
      async () => {
        controller.abort(); // an event listener cannot throw into this call
        log('abort() returned');
        try {
          await schedule();
          log('not reached');
        } catch (e) {
          log(`schedule() threw ${(e as Error).name}`);
          throw e;
        }
      },
      { signal: controller.signal },
    )();
    expect(await t.join()).toBeUndefined();
    expect(entries).toEqual(steps('abort() returned', 'schedule() threw TaskletExit'));
    expect(listeners(controller.signal)).toBe(0);
  });

  it('kills a tasklet waiting outside the library at its next library operation, and one aborted by another tasklet', async () => {
    const outsideSignal = new AbortController();
    const { log, entries } = stepLog();
    const outside = tasklet(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        log('back from the timer');
        await schedule();
        log('not reached');
      },
      { signal: outsideSignal.signal },
    )();
    const parkedSignal = new AbortController();
    const parked = tasklet(
      async () => {
        await new Channel().receive();
      },
      { signal: parkedSignal.signal },
    )();
    const aborter = tasklet(async () => {
      parkedSignal.abort();
      log('aborter goes on');
      await schedule();
      log('aborter done');
    })();
    await idle();
    outsideSignal.abort();
    await Promise.all([outside.join(), parked.join(), aborter.join()]);
    expect([outside.alive, parked.alive]).toEqual([false, false]);
    expect(entries).toEqual(steps('aborter goes on', 'aborter done', 'back from the timer'));
  });

  it('stops listening when the tasklet ends by any path: 1,000 tasklets on one long-lived signal leave no listener', async () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const jobs = new Channel<number>({ name: 'jobs' });
    const ts: Tasklet[] = [];
    for (let i = 0; i < 1000; i++) {
      switch (i % 5) {
        case 0:
          ts.push(tasklet(async () => i, { signal })());
          break; // returns
        case 1:
          ts.push(
            tasklet(
              async () => {
                throw new Error(`fails ${i}`);
              },
              { signal },
            )(),
          );
          break; // fails
        case 2:
          ts.push(tasklet(async () => jobs.receive(), { signal })());
          break; // killed while parked
        case 3:
          ts.push(tasklet(async () => {}, { signal })());
          break; // killed before it starts
        default:
          ts.push(tasklet(async () => jobs.receive(), { signal })());
          break; // thrown into while parked
      }
    }
    // One listener for the signal, not one per tasklet (Node warns of a leak past ten).
    expect(listeners(signal)).toBe(1);
    const joined = ts.map((t) => t.join().catch((e: Error) => e.message));
    for (let i = 3; i < 1000; i += 5) await ts[i].kill();
    await idle();
    for (let i = 2; i < 1000; i += 5) await ts[i].kill();
    for (let i = 4; i < 1000; i += 5) await ts[i].throw(new Error(`thrown ${i}`));
    const results = await Promise.all(joined);
    expect(results.slice(0, 5)).toEqual([0, 'fails 1', undefined, undefined, 'thrown 4']);
    expect(ts.every((t) => !t.alive)).toBe(true);
    expect(listeners(signal)).toBe(0);
    expect(signal.aborted).toBe(false);
  });

  it('an abort kills every tasklet of the signal, and each stops listening', async () => {
    const controller = new AbortController();
    const jobs = new Channel<number>({ name: 'jobs' });
    const spawn = tasklet(
      async () => {
        for (;;) await jobs.receive();
      },
      { signal: controller.signal },
    );
    const ts = Array.from({ length: 1000 }, () => spawn());
    await idle();
    expect(jobs.balance).toBe(-1000);
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(await Promise.all(ts.map((t) => t.join()))).toEqual(new Array(1000).fill(undefined));
    expect(jobs.balance).toBe(0);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('adds no field to the tasklet record: a tasklet with a signal has the same own properties as one without', async () => {
    const controller = new AbortController();
    const plain = tasklet(async () => {})();
    const withSignal = tasklet(async () => {}, { signal: controller.signal })();
    expect(Object.getOwnPropertyNames(withSignal)).toEqual(Object.getOwnPropertyNames(plain));
    await Promise.all([plain.join(), withSignal.join()]);
  });

  it('TaskletExit from an abort is a TaskletExit', async () => {
    const controller = new AbortController();
    let seen: unknown;
    const t = tasklet(
      async () => {
        try {
          await new Channel().receive();
        } catch (e) {
          seen = e;
        }
      },
      { signal: controller.signal },
    )();
    await idle();
    controller.abort(new Error('the reason'));
    await t.join();
    expect(seen).toBeInstanceOf(TaskletExit);
  });

  it('examples/shutdown-signal.ts prints what docs/07 shows', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await shutdownSignal();
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([
      'ann handles job 1',
      'ann handles job 2',
      'bob handles job 3',
      'ann stops',
      'bob stops',
      'joins: undefined, undefined; jobs balance: 0',
      'cat alive: false, join: undefined',
    ]);
  });
});
