/**
 * tasklets/node: each tasklet keeps the AsyncLocalStorage context of the code that
 * created it, across every await, whichever tasklet the loop ran before it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Channel, run, schedule, tasklet } from '../../lib/index';
import { setAsyncContext } from '../../lib/node';

const als = new AsyncLocalStorage<string>();
const timer = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Two tasklets created in contexts `a` and `b` that meet on a channel; what each sees, step by step. */
async function meeting(): Promise<string[]> {
  const ch = new Channel<number>();
  const seen: string[] = [];
  const party = tasklet(async (who: string) => {
    seen.push(`${who} start ${als.getStore()}`);
    if (who === 'a') await ch.send(1);
    else await ch.receive();
    seen.push(`${who} after channel ${als.getStore()}`);
    await schedule();
    seen.push(`${who} after schedule ${als.getStore()}`);
    await timer(1);
    seen.push(`${who} after timer ${als.getStore()}`);
    await schedule();
    seen.push(`${who} end ${als.getStore()}`);
  });
  als.run('ctx-a', () => party('a'));
  als.run('ctx-b', () => party('b'));
  await als.run('ctx-main', () => run());
  return seen.sort();
}

afterEach(() => {
  setAsyncContext(true);
});

test('each tasklet sees its creator’s store at start and after channel operations, schedule() and timers', async () => {
  expect(await meeting()).toEqual(['after channel', 'after schedule', 'after timer', 'end', 'start'].flatMap((step) => [`a ${step} ctx-a`, `b ${step} ctx-b`]).sort());
});

test('a tasklet created by a tasklet inherits what its creator set with enterWith, and the setting stays with them', async () => {
  const seen: Record<string, string | undefined> = {};
  const child = tasklet(async () => {
    await schedule();
    seen.child = als.getStore();
  });
  const bystander = tasklet(async () => {
    await schedule();
    seen.bystander = als.getStore();
  });
  als.run('outer', () => {
    tasklet(async () => {
      als.enterWith('parent');
      child();
      await schedule();
      seen.parent = als.getStore();
    })();
    bystander();
  });
  await run();
  expect(seen).toEqual({ parent: 'parent', child: 'parent', bystander: 'outer' });
});

test('setAsyncContext(false): tasklets created from then on start in the context the loop is in', async () => {
  expect(setAsyncContext(false)).toBe(true);
  const seen = await meeting();
  // b is started by the loop while a's slice is in flight, so it runs in a's context.
  expect(seen).toContain('b start ctx-a');
  expect(setAsyncContext(true)).toBe(false);
});

test('setAsyncContext() takes a boolean only', () => {
  expect(() => setAsyncContext('yes' as unknown as boolean)).toThrow(new TypeError('setAsyncContext(): on must be a boolean, received string'));
  expect(setAsyncContext(true)).toBe(true);
});
