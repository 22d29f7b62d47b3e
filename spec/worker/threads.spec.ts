/**
 * Channels shared with real worker threads (lib/worker/): values cross both ways in order,
 * a rendezvous waits for the other thread, and a thread that ends takes nothing with it.
 */
import { Channel, DeadlockError, run, tasklet } from '../../lib/index';
import { share } from '../../lib/worker/share';
import { exited, startWorker } from './helpers';

jest.setTimeout(30_000);

test('a worker doubles 300 values: each crosses twice, in order, and run() ends when both sides are done', async () => {
  const jobs = new Channel<number>({ name: 'jobs' });
  const results = new Channel<number>({ name: 'results' });
  const sj = share(jobs);
  const sr = share(results);
  const w = startWorker({ jobs: sj, results: sr, mode: 'double' }, [sj.port, sr.port]);
  const got: number[] = [];
  tasklet(
    async () => {
      for (let i = 0; i < 300; i++) await jobs.send(i);
      jobs.close();
    },
    { name: 'producer' },
  )();
  tasklet(
    async () => {
      for await (const r of results) got.push(r);
    },
    { name: 'consumer' },
  )();
  await run();
  expect(got).toEqual(Array.from({ length: 300 }, (_, i) => 2 * i));
  expect(await exited(w)).toBe(0);
});

test('a rendezvous send waits for the worker to take the value: with an idle worker it does not complete, and an abort leaves nothing behind', async () => {
  const jobs = new Channel<number>({ name: 'jobs' });
  const sj = share(jobs);
  const w = startWorker({ jobs: sj, mode: 'idle' }, [sj.port]);
  const e = await jobs.send(1, { signal: AbortSignal.timeout(200) }).catch((x: unknown) => x);
  expect((e as Error).name).toBe('TimeoutError');
  expect(jobs.balance).toBe(0);
  await w.terminate();
});

test('while a worker holds the other end, a party parked on the channel is not a deadlock; once the worker has ended, it is', async () => {
  const jobs = new Channel<number>({ name: 'jobs' });
  const sj = share(jobs);
  const w = startWorker({ jobs: sj, mode: 'idle' }, [sj.port]);
  const t = tasklet(async () => jobs.send(1), { name: 'stuck' })();
  const early = await Promise.race([
    run().then(
      () => 'resolved',
      (x: unknown) => x,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
  ]);
  expect(early).toBe('still waiting');
  await w.terminate();
  const e = await run().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DeadlockError);
  expect((e as Error).message).toContain('tasklet "stuck"');
  await t.kill();
});

test.each([0, 1, 5])('a worker that takes %i value(s), asks for one more and exits: every value is received exactly once (the one in flight comes back)', async (take) => {
  const jobs = new Channel<number>({ name: 'jobs' });
  const sj = share(jobs);
  const w = startWorker({ jobs: sj, mode: 'take-then-exit', take }, [sj.port]);
  const byWorker = new Promise<number[]>((resolve) => w.once('message', resolve));
  const sent = 20;
  const producer = tasklet(
    async () => {
      for (let i = 0; i < sent; i++) await jobs.send(i);
    },
    { name: 'producer' },
  )();
  const taken = await byWorker;
  expect(await exited(w)).toBe(0);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the port's close reaches the owner
  const rest: number[] = [];
  const drain = tasklet(
    async () => {
      for (let i = taken.length; i < sent; i++) rest.push(await jobs.receive());
    },
    { name: 'drain' },
  )();
  await run();
  expect(producer.alive || drain.alive).toBe(false);
  expect(taken).toEqual(Array.from({ length: take }, (_, i) => i));
  expect([...taken, ...rest].sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i));
  expect(rest).toEqual(Array.from({ length: sent - take }, (_, i) => take + i)); // the one in flight comes back first
});

test.each([
  [0, 11],
  [0, 12],
  [2, 13],
])(
  'random sends, receives and aborts on one channel (capacity %i, seed %i) from the main thread and two workers: every completed send is received exactly once, no aborted one ever',
  async (capacity, seed) => {
    const { randomOps } = await import('../fixtures/worker-random');
    const ch = new Channel<number>({ name: 'shared', capacity });
    const workers = [1, 2].map((party) => {
      const s = share(ch);
      return startWorker({ jobs: s, mode: 'random', seed: seed * 10 + party, party, ops: 150 }, [s.port]);
    });
    const reports = workers.map((w) => new Promise<{ sent: number[]; received: number[] }>((resolve) => w.once('message', resolve)));
    const main = await randomOps(
      3,
      seed * 10 + 3,
      150,
      (v, signal) => ch.send(v, { signal }),
      (signal) => ch.receive({ signal }),
    );
    const all = [main, ...(await Promise.all(reports))];
    for (const w of workers) expect(await exited(w)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the workers' ports have closed here
    const left: number[] = [];
    for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) left.push(r.value);
    const sent = all.flatMap((p) => p.sent).sort((a, b) => a - b);
    const received = [...all.flatMap((p) => p.received), ...left].sort((a, b) => a - b);
    expect(received).toEqual(sent); // each completed send received once; nothing else received
    expect(sent.length).toBeGreaterThan(20); // the program did meet partners
    expect(ch.balance).toBe(0);
  },
);
