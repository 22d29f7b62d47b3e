/**
 * The deadlock report across threads (lib/worker/peers.ts), with real workers: `run()` in the
 * main thread reports parties that wait on each other through another thread, naming each
 * thread's parked parties and what they wait on — and reports nothing while a worker can
 * still act.
 */
import type { Worker } from 'node:worker_threads';
import { Channel, DeadlockError, run, tasklet } from '../../lib/index';
import { attach } from '../../lib/worker/remote';
import { share, type SharedChannel } from '../../lib/worker/share';
import { setHost } from '../../lib/core/loop';
import { installHost } from '../../lib/node/host';
import { startWorker } from './helpers';

jest.setTimeout(30_000);

const next = <T>(w: Worker): Promise<T> => new Promise((resolve) => w.once('message', resolve));

test("a worker stuck sending on the main thread's channel while the main thread's producer is stuck sending to it: run() reports both threads' parties", async () => {
  const jobs = new Channel<number>({ name: 'jobs' });
  const results = new Channel<number>({ name: 'results' });
  const sj = share(jobs);
  const sr = share(results);
  const w = startWorker({ mode: 'send', jobs: sj, results: sr }, [sj.port, sr.port], 'worker-deadlock');
  const producer = tasklet(async () => jobs.send(1), { name: 'producer' })();
  const e = await run().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DeadlockError);
  const message = (e as Error).message;
  expect(message).toContain('tasklet "producer" (#');
  expect(message).toContain('sends on channel "jobs" (balance 1)');
  expect(message).toContain('a party of another thread sends on channel "results" (balance 1)');
  expect(message).toMatch(/in thread \d+:\n {2}plain code sends on channel "results" of thread 0/);
  await w.terminate();
  await producer.kill();
});

test("with the Node entry's host check, which takes a referenced port for something that may wake a party, the report comes all the same", async () => {
  installHost(); // what tasklets' Node entry does
  try {
    const jobs = new Channel<number>({ name: 'jobs' });
    const results = new Channel<number>({ name: 'results' });
    const sj = share(jobs);
    const sr = share(results);
    const w = startWorker({ mode: 'send', jobs: sj, results: sr }, [sj.port, sr.port], 'worker-deadlock');
    const producer = tasklet(async () => jobs.send(1), { name: 'producer' })();
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeadlockError);
    expect((e as Error).message).toMatch(/in thread \d+:\n {2}plain code sends on channel "results" of thread 0/);
    await w.terminate();
    await producer.kill();
  } finally {
    setHost(null);
  }
});

test('two threads each waiting to receive what only the other would send: run() names the tasklet in each thread', async () => {
  const a = new Channel<number>({ name: 'a' });
  const sa = share(a);
  const w = startWorker({ mode: 'cycle', a: sa }, [sa.port], 'worker-deadlock');
  const { b } = await next<{ b: SharedChannel<number> }>(w);
  const rb = attach(b);
  const waiter = tasklet(
    async () => {
      await rb.send(await a.receive());
    },
    { name: 'main-waiter' },
  )();
  const e = await run().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DeadlockError);
  const message = (e as Error).message;
  expect(message).toContain('tasklet "main-waiter" (#');
  expect(message).toContain('receives on channel "a" (balance -1)');
  expect(message).toMatch(/in thread \d+:\n {2}tasklet "worker-waiter" \(#\d+\) receives on channel "b" \(balance -1\)/);
  await w.terminate();
  await waiter.kill();
});

test('no report while a worker can still act: its plain code sends after a timer, and run() resolves with the exchange done', async () => {
  const results = new Channel<number>({ name: 'results' });
  const sr = share(results);
  const w = startWorker({ mode: 'late', results: sr }, [sr.port], 'worker-deadlock');
  const got = tasklet(async () => results.receive(), { name: 'consumer' })();
  await run(); // several waves find the worker with a timer pending: not idle
  expect(await got.join()).toBe(7);
  await w.terminate();
});
