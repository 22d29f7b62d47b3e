/**
 * Worker pools with real worker threads (lib/worker/pool.ts, lib/worker/work.ts): jobs in,
 * results out, graceful shutdown, a handler's error, a crash giving its job back, an abort.
 */
import { ChannelClosedError, tasklet } from '../../lib/index';
import { JobError, pool, WorkerCrashedError, WorkerError } from '../../lib/worker';
import { work } from '../../lib/worker/work';
import { fixtureModule } from './helpers';

jest.setTimeout(30_000);

const [source, worker] = fixtureModule('pool-worker.ts');

/** Sends `jobs`, then closes the pool; meanwhile receives every result (and every error thrown on `results`). */
async function feed(p: ReturnType<typeof pool<number, unknown>>, jobs: readonly number[]): Promise<{ results: unknown[]; errors: unknown[]; done: unknown }> {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const producer = tasklet(async () => {
    for (const j of jobs) await p.jobs.send(j);
    return p.close().then(
      () => 'closed',
      (e: unknown) => e,
    );
  })();
  for (;;) {
    try {
      results.push(await p.results.receive());
    } catch (e) {
      if (e instanceof ChannelClosedError) break;
      errors.push(e);
    }
  }
  return { results, errors, done: await producer.join() };
}

test('two workers square 200 jobs: every result once, then close() drains, joins and results ends', async () => {
  const p = pool<number, unknown>(source, { workers: 2, worker, data: { mode: 'square' } });
  expect(p.size).toBe(2);
  expect(`${p}`).toBe('Pool "pool" (2 workers)');
  const jobs = Array.from({ length: 200 }, (_, i) => i).filter((n) => n !== 13);
  const { results, errors, done } = await feed(p, jobs);
  expect(errors).toEqual([]);
  expect(done).toBe('closed');
  expect((results as [number, number][]).map(([sq]) => sq).sort((a, b) => a - b)).toEqual(jobs.map((n) => n * n));
  expect(new Set((results as [number, number][]).map(([, w]) => w)).size).toBeLessThanOrEqual(2);
  expect(p.jobs.closed && p.results.closed).toBe(true);
});

test("a handler's error reaches the caller as a JobError naming the worker, with the job and the cause; the worker goes on", async () => {
  const p = pool<number, unknown>(source, { workers: 2, worker, data: { mode: 'square' } });
  const { results, errors, done } = await feed(p, [11, 12, 13, 14, 15]);
  expect(done).toBe('closed');
  expect(results).toHaveLength(4);
  expect(errors).toHaveLength(1);
  const e = errors[0] as JobError;
  expect(e).toBeInstanceOf(JobError);
  expect(e).toBeInstanceOf(WorkerError);
  expect(e.job).toBe(13);
  expect([0, 1]).toContain(e.worker);
  expect(e.threadId).toBeGreaterThan(0);
  expect((e.cause as Error).message).toBe('unlucky');
  expect(e.message).toMatch(/^job failed in worker [01] \(thread \d+\): Error: unlucky$/);
});

test.each([
  ['crash', 1, 'boom'],
  ['exit', 7, undefined],
])('a worker that ends with a job unfinished (%s): the job goes back and the other worker does it; the caller gets WorkerCrashedError', async (mode, code, cause) => {
  const p = pool<number, unknown>(source, { workers: 2, prefetch: 0, worker, data: { mode } }); // no job sent ahead: exactly one unfinished
  const jobs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16]; // 13 would throw
  const { results, errors, done } = await feed(p, jobs);
  expect((results as [number, number][]).map(([sq]) => sq).sort((a, b) => a - b)).toEqual(jobs.map((n) => n * n));
  expect(errors).toHaveLength(1);
  const e = errors[0] as WorkerCrashedError;
  expect(e).toBeInstanceOf(WorkerCrashedError);
  expect(e.worker).toBe(0);
  expect(e.exitCode).toBe(code);
  expect(e.jobsGivenBack).toBe(1);
  expect((e.cause as Error | undefined)?.message).toBe(cause);
  expect(done).toBe(e); // close() (and done) reject with the crash
});

test('the pool signal ends everything at once: workers terminated, the reason thrown on results, then results closes; done rejects', async () => {
  const ac = new AbortController();
  const p = pool<number, unknown>(source, { workers: 2, concurrency: 3, worker, signal: ac.signal, data: { mode: 'slow', ms: 20_000 } });
  const sent = tasklet(async () => {
    try {
      for (let i = 0; ; i++) await p.jobs.send(i);
    } catch (e) {
      return e;
    }
  })();
  setTimeout(() => ac.abort(new Error('enough')), 300);
  const got = await p.results.receive().catch((e: unknown) => e);
  expect((got as Error).message).toBe('enough');
  expect(await p.results.receive().catch((e: unknown) => (e as Error).name)).toBe('ChannelClosedError');
  expect(((await p.done.catch((e: unknown) => e)) as Error).message).toBe('enough');
  expect(((await sent.join()) as Error).name).toBe('ChannelClosedError'); // a send parked at the abort is dropped, the next fails
  expect(p.threads.every((t) => t.threadId === -1)).toBe(true); // terminated
});

test('concurrency runs several async jobs at once in each worker', async () => {
  const p = pool<number, unknown>(source, { workers: 1, concurrency: 8, capacity: 8, worker, data: { mode: 'slow', ms: 500 } });
  const { results } = await feed(p, [1, 2, 3, 4, 5, 6, 7, 8]);
  const done = results as [number, number][];
  expect(done.map(([n]) => n).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(Math.max(...done.map(([, running]) => running))).toBeGreaterThan(1); // one at a time would give 1 each
});

test('a job that cannot be copied to a worker is a JobError on results; nothing reaches the worker', async () => {
  const p = pool<unknown, unknown>(source, { workers: 1, worker, data: { mode: 'square' } });
  const job = { run: () => 1 };
  void p.jobs.send(() => 1);
  void p.jobs.send(job);
  const first = await p.results.receive().catch((e: unknown) => e);
  expect(first).toBeInstanceOf(JobError);
  expect((first as JobError).message).toMatch(/job of type function cannot be copied/);
  const second = await p.results.receive().catch((e: unknown) => e);
  expect((second as JobError).job).toBe(job);
  void p.jobs.send(3);
  expect(await p.results.receive()).toEqual([9, 0]);
  await p.close();
});

test('bad arguments are refused with errors naming them', () => {
  expect(() => pool(42 as never)).toThrow('pool(): module must be a path or a URL, received 42');
  expect(() => pool(source, { workers: 0 })).toThrow('pool(): option "workers" must be an integer >= 1, received 0');
  expect(() => pool(source, { wrokers: 2 } as never)).toThrow(/unknown option "wrokers"/);
  expect(() => pool(source, { signal: 'stop' as never })).toThrow(/option "signal" must be an AbortSignal/);
  return expect(work(() => 1)).rejects.toThrow('work(): this thread was not started by pool()');
});

test('when every worker has crashed, the pool is over: results and jobs close, and the jobs left are in leftover, none lost', async () => {
  const p = pool<number, unknown>(source, { workers: 1, prefetch: 0, worker, data: { mode: 'exit' } });
  const producer = tasklet(async () => {
    try {
      for (let i = 0; ; i++) await p.jobs.send(i);
    } catch (e) {
      return e;
    }
  })();
  const crash = await p.results.receive().catch((e: unknown) => e);
  expect(crash).toBeInstanceOf(WorkerCrashedError);
  expect((crash as WorkerCrashedError).jobsGivenBack).toBe(1);
  expect(await p.done.catch((e: unknown) => e)).toBe(crash);
  expect(((await producer.join()) as Error).name).toBe('ChannelClosedError');
  expect(p.leftover).toEqual([0, 1]); // job 0, given back, then the send parked when the pool ended
  expect(p.results.closed && p.jobs.closed).toBe(true);
});

test('a worker that ends without doing its part (its module never calls work()) is reported, not silently lost; bad Worker options leave nothing running', async () => {
  const p = pool<number, unknown>(`require('tsx/cjs');`, { workers: 1, worker: { eval: true } });
  const e = await p.results.receive().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(WorkerCrashedError);
  expect((e as WorkerCrashedError).exitCode).toBe(0);
  expect(await p.done.catch((x: unknown) => x)).toBe(e);
  expect(() => pool(source, { workers: 2, worker: { ...worker, execArgv: ['--no-such-flag'] } })).toThrow(/--no-such-flag/);
});
