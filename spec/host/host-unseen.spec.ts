/**
 * Where the host cannot be seen (browsers, Deno: no `Host` installed, as in this file,
 * which imports the core alone), `run()` counts only what the library knows of: a
 * tasklet waiting outside, a library timer, an open library source (docs/design.md,
 * "What can still wake a party").
 */
import { Channel, DeadlockError, run, sleep, tasklet } from '../../lib/index';
import { loopInternals, setHost } from '../../lib/core/loop';
import { rejection } from '../helpers';

test('no host is installed by the core alone', () => {
  const before = setHost(null);
  expect(before).toBeNull();
});

test('a consumer that only a plain host timer will feed is reported at once', async () => {
  const ch = new Channel<number>({ name: 'fed-by-a-timer' });
  const consumer = tasklet(async () => ch.receive(), { name: 'consumer' })();
  let fed = false;
  const feeder = setTimeout(() => (fed = true), 2000);
  const error = await rejection(run());
  expect(error).toBeInstanceOf(DeadlockError);
  expect(error.tasklets).toEqual([consumer]);
  expect(fed).toBe(false); // reported before the timer, not after it
  clearTimeout(feeder);
  // It stays parked: fed, it finishes, and run() resolves.
  expect(ch.trySend(1)).toBe(true);
  await run();
  expect(await consumer.join()).toBe(1);
});

test('a consumer fed by a tasklet that awaits the event is not: that tasklet waits outside', async () => {
  const ch = new Channel<number>({ name: 'fed-by-a-tasklet' });
  const consumer = tasklet(async () => ch.receive(), { name: 'consumer' })();
  tasklet(
    async () => {
      const event = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 30));
      await ch.send(event);
    },
    { name: 'listener' },
  )();
  await run();
  expect(await consumer.join()).toBe(7);
});

test('a library timer and a library source count', async () => {
  const ch = new Channel<number>({ name: 'c' });
  const consumer = tasklet(async () => ch.receive(), { name: 'consumer' })();
  tasklet(async () => {
    await sleep(20);
    await ch.send(2);
  })();
  await run();
  expect(await consumer.join()).toBe(2);
  expect(loopInternals().sources).toBe(0);
});
