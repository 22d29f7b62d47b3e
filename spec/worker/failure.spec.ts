/**
 * Failure across threads with real workers: a worker terminated in the middle of a stream, at
 * every step of it; values that cannot be copied to another thread, both ways; transfer lists.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { Channel, run, tasklet } from '../../lib/index';
import { share } from '../../lib/worker/share';
import { exited, startWorker } from './helpers';

const STRESS = process.env.STRESS === '1';
jest.setTimeout(STRESS ? 600_000 : 30_000);

const next = <T>(w: Worker): Promise<T> => new Promise((resolve) => w.once('message', resolve));
const settle = (ms = 50): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const N = STRESS ? 40 : 8;
const steps = Array.from({ length: N }, (_, k) => k).flatMap((k) => (STRESS ? [0, 2] : k % 2 === 0 ? [0] : [2]).map((capacity) => [k, capacity] as const));

test.each(steps)(
  'a worker terminated after %i result(s) (capacity %i): every job it did not take is received here exactly once, none it took, and nothing of it stays parked',
  async (k, capacity) => {
    const jobs = new Channel<number>({ name: 'jobs', capacity });
    const results = new Channel<number>({ name: 'results', capacity });
    const seen = new SharedArrayBuffer(4 * N);
    const sj = share(jobs);
    const sr = share(results);
    const w = startWorker({ jobs: sj, results: sr, mode: 'double', seen }, [sj.port, sr.port]);
    const producer = tasklet(
      async () => {
        for (let i = 0; i < N; i++) await jobs.send(i);
        jobs.close();
      },
      { name: 'producer' },
    )();
    const got: number[] = [];
    for (let i = 0; i < k; i++) got.push(await results.receive());
    await w.terminate();
    await settle(); // the ports' close reaches this thread: the worker's parked operations go, its value in flight comes back
    expect(results.balance).toBe(0); // no send of the worker left parked
    for (let r = results.tryReceive(); r.ok; r = results.tryReceive()) got.push(r.value);
    const rest: number[] = [];
    const drain = tasklet(
      async () => {
        for await (const j of jobs) rest.push(j);
      },
      { name: 'drain' },
    )();
    await run();
    expect(producer.alive || drain.alive).toBe(false);
    const marks = new Int32Array(seen);
    const taken = Array.from({ length: N }, (_, i) => i).filter((i) => Atomics.load(marks, i) === 1);
    expect(got.map((v) => v / 2).every((i) => taken.includes(i))).toBe(true); // results only for jobs it took
    expect(new Set(got).size).toBe(got.length);
    expect(rest.filter((i) => taken.includes(i))).toEqual([]); // none it took comes back
    expect([...taken, ...rest].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i)); // none lost
    expect(rest).toEqual([...rest].sort((a, b) => a - b)); // and in order
    expect(got.length).toBeGreaterThanOrEqual(k);
  },
);

test('a value here that cannot be copied to the worker stays in the channel; the remote receive rejects with a TypeError naming its type', async () => {
  const jobs = new Channel<unknown>({ name: 'jobs', capacity: 1 });
  const fn = (): number => 1;
  jobs.trySend(fn);
  const sj = share(jobs);
  const w = startWorker({ jobs: sj, mode: 'receive' }, [sj.port], 'worker-failure');
  const r = await next<{ ok: boolean; name: string; message: string }>(w);
  expect(r).toMatchObject({ ok: false, name: 'TypeError' });
  expect(r.message).toMatch(/^receive\(\): a value of type function cannot be copied to another thread .*; it stays in channel "jobs"$/);
  expect(await exited(w)).toBe(0);
  expect(jobs.tryReceive()).toEqual({ ok: true, value: fn });
});

test("a worker's send of a function or of a class instance is refused with a TypeError naming its type, and nothing is sent; a plain object holding an instance is copied as plain data", async () => {
  const results = new Channel<unknown>({ name: 'results', capacity: 4 });
  const sr = share(results);
  const w = startWorker({ results: sr, mode: 'send-bad' }, [sr.port], 'worker-failure');
  const [fn, instance, nested] = await next<{ ok: boolean; name: string; message: string }[]>(w);
  expect(fn).toMatchObject({ ok: false, name: 'TypeError' });
  expect(fn.message).toMatch(/^send\(\): a value of type function cannot be copied to another thread/);
  expect(instance).toMatchObject({ ok: false, name: 'TypeError' });
  expect(instance.message).toMatch(/^send\(\): a value of type Job cannot be copied to another thread \(an instance of Job would arrive as a plain object/);
  expect(nested).toMatchObject({ ok: true });
  expect(await exited(w)).toBe(0);
  expect(results.length).toBe(1);
  expect(results.tryReceive()).toEqual({ ok: true, value: { job: {} } });
});

test('transfer lists: a 1 MiB ArrayBuffer moves (detached in the worker, whole here); a MessagePort moves and works; an aborted send has detached its buffer anyway and sent nothing', async () => {
  const results = new Channel<unknown>({ name: 'results' });
  const sr = share(results);
  const w = startWorker({ results: sr, mode: 'transfer' }, [sr.port], 'worker-failure');
  const report = next<{ bigDetached: boolean; aborted: { ok: boolean; message: string }; lostDetached: boolean }>(w);
  const big = (await results.receive()) as ArrayBuffer;
  expect(big.byteLength).toBe(1 << 20);
  expect(new Uint8Array(big).every((b) => b === 7)).toBe(true);
  const port = (await results.receive()) as MessagePort;
  const pong = new Promise((resolve) => port.once('message', resolve));
  port.postMessage('ping');
  expect(await pong).toBe('ping: pong');
  port.close();
  expect(await report).toEqual({ bigDetached: true, aborted: { ok: false, name: 'Error', message: 'gave up' }, lostDetached: true });
  expect(results.balance).toBe(0);
  await w.terminate();
});
