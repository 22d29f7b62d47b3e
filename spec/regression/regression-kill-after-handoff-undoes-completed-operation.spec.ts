/**
 * Regression: `kill()` of a tasklet that was runnable after a completed hand-off threw
 * `TaskletExit` at the await of that hand-off, as if it were a `schedule()`: the loop
 * told the two apart by "a yield whose outcome is `undefined`". So
 *  - a sender whose value a receiver already had was told, by the exception, that its
 *    send failed: the value was both received and handed back (preference -1, the
 *    default: the sender steps back after waking its receiver);
 *  - a receiver that had received `undefined` lost it (preference 1: the receiver steps
 *    back after waking its sender).
 * Found by the schedules property (spec/property/schedules.spec.ts). A completed
 * operation now keeps its outcome; the kill lands at the next library operation, as for
 * any runnable tasklet whose operation completed.
 */
import { Channel, run, schedule, tasklet } from '../../lib/index';
import { idle } from '../helpers';

test('a sender killed after its receiver took the value: send() resolves, TaskletExit comes at the next operation', async () => {
  const ch = new Channel<string>({ name: 'jobs' }); // preference -1: the receiver runs first
  const log: string[] = [];
  const sender = tasklet(
    async () => {
      try {
        await ch.send('job');
        log.push('send completed');
        await schedule();
        log.push('not reached');
      } catch (e) {
        log.push(`caught ${(e as Error).name}`);
        throw e;
      }
    },
    { name: 'sender' },
  );
  tasklet(
    async () => {
      const got = await ch.receive(); // parks first; the sender's hand-off wakes it, first
      log.push(`received ${got}`);
      await s.kill(); // the sender is runnable, its send completed
      log.push('killed');
    },
    { name: 'receiver' },
  )();
  const s = sender();
  await run();
  expect(log).toEqual(['received job', 'send completed', 'caught TaskletExit', 'killed']);
  expect(await s.join()).toBeUndefined();
});

test('a receiver killed after receiving undefined from a parked sender (preference 1): it keeps the value', async () => {
  const ch = new Channel<undefined>({ preference: 1 }); // the sender runs first
  const log: string[] = [];
  const s = tasklet(
    async () => {
      await ch.send(undefined);
      log.push('sent');
      await r.kill(); // the receiver is runnable, its receive completed with undefined
    },
    { name: 'sender' },
  )();
  await idle(); // the sender parks
  const r = tasklet(
    async () => {
      try {
        const v = await ch.receive();
        log.push(`received ${String(v)}`);
        await schedule();
      } catch (e) {
        log.push(`caught ${(e as Error).name}`);
      }
    },
    { name: 'receiver' },
  )();
  await run();
  expect(log).toEqual(['sent', 'received undefined', 'caught TaskletExit']);
  await s.join();
});

test('schedule() is still where a kill of a tasklet runnable after schedule() lands', async () => {
  const log: string[] = [];
  let turns = 0;
  const t = tasklet(async () => {
    try {
      for (;;) {
        await schedule();
        turns++;
      }
    } catch (e) {
      log.push(`caught at schedule after ${turns} turns: ${(e as Error).name}`);
    }
  })();
  tasklet(async () => {
    await t.kill(); // t started first and is runnable after its first schedule()
  })();
  await run();
  expect(log).toEqual(['caught at schedule after 0 turns: TaskletExit']);
});
