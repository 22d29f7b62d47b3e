/**
 * A CPU-bound pipeline through a worker pool (issue 16): a producer tasklet sends 64 KB
 * blocks, each to be hashed `--rounds` times with SHA-256 (bench/pool-hash.ts), a consumer
 * tasklet receives the digests. Once with `pool(…, { workers: 2 })` from `tasklets/worker`,
 * once with the same tasklets on one thread (`--workers` hashing tasklets on a channel), and
 * once with bare workers hashing their share with no message per job: the ceiling of the
 * machine as it is at that moment (others may be using its two cores); and, for reference,
 * through piscina (a devDependency, pinned) with every job submitted at once, as piscina is
 * used. Interleaved rep by rep in one process, and the ratio of the median throughputs comes from
 * this run alone. The pool is started, and each worker has done one job, before the clock
 * starts, and the clock stops at the last result: steady throughput, not start-up or the
 * threads ending after close() (both printed apart).
 *
 *   npx tsx bench/pool.ts [--jobs N] [--rounds N] [--workers N] [--prefetch N] [--reps N] [--out PATH]
 *
 * Prints a Markdown table; writes JSON to `--out` when given.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Channel, run, tasklet } from '../lib/index';
import { pool } from '../lib/worker';
import { hash, type HashJob } from './pool-hash';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bench/pool.ts: ${name} takes a positive integer, received ${process.argv[at + 1]}`);
  return n;
}

const JOBS = option('--jobs', 100);
const ROUNDS = option('--rounds', 256);
const WORKERS = option('--workers', 2);
const REPS = option('--reps', 5);
const PREFETCH = option('--prefetch', 1);
const outAt = process.argv.indexOf('--out');
const OUT = outAt < 0 ? undefined : process.argv[outAt + 1];

/** Worker code: tsx's require hook (Node 20 passes no ESM loader hooks to workers), then the job module as a pool worker. */
const WORKER = `globalThis.RUN_AS_POOL_WORKER = true; require('tsx/cjs'); require(${JSON.stringify(path.join(HERE, 'pool-hash.ts'))});`;

const blocks = Array.from({ length: JOBS }, (_, i) => {
  const b = new Uint8Array(64 * 1024);
  for (let j = 0; j < b.length; j += 4096) b[j] = (i * 31 + j) & 255;
  return b;
});
const expected = new Set(blocks.map((block) => hash({ block, rounds: ROUNDS })));

/**
 * Producer and consumer tasklets around a jobs and a results channel; resolves with the
 * digests and when the last one arrived (throughput counts to there: a pool's join, its
 * threads ending after `close()`, is timed apart).
 */
async function pipeline(jobs: { send(job: HashJob): Promise<void> }, finish: () => Promise<void>, results: AsyncIterable<string>): Promise<{ got: string[]; lastAt: number }> {
  const got: string[] = [];
  let lastAt = 0;
  tasklet(
    async () => {
      for (const block of blocks) await jobs.send({ block, rounds: ROUNDS });
      await finish();
    },
    { name: 'producer' },
  )();
  tasklet(
    async () => {
      for await (const d of results) if (got.push(d) === JOBS) lastAt = performance.now();
    },
    { name: 'consumer' },
  )();
  await run();
  return { got, lastAt };
}

function check(got: readonly string[], what: string): void {
  if (got.length !== JOBS || !got.every((d) => expected.has(d))) throw new Error(`${what}: ${got.length} digests, not the ${JOBS} expected`);
}

/** Jobs per second with `WORKERS` hashing tasklets on this thread. */
async function oneThread(): Promise<number> {
  const jobs = new Channel<HashJob>({ name: 'jobs' });
  const results = new Channel<string>({ name: 'results' });
  const start = performance.now();
  let left = WORKERS;
  for (let w = 0; w < WORKERS; w++) {
    tasklet(
      async () => {
        for await (const job of jobs) await results.send(hash(job));
        if (--left === 0) results.close();
      },
      { name: `hasher ${w}` },
    )();
  }
  const { got, lastAt } = await pipeline(jobs, () => Promise.resolve(jobs.close()), results);
  const seconds = (lastAt - start) / 1000;
  check(got, 'one thread');
  return JOBS / seconds;
}

/** Jobs per second through a pool of `WORKERS` threads, and the milliseconds from pool() to its first result. */
async function throughPool(): Promise<{ rate: number; startMs: number; joinMs: number }> {
  const t0 = performance.now();
  const p = pool<HashJob, string>(WORKER, { workers: WORKERS, prefetch: PREFETCH, worker: { eval: true }, name: 'hash' });
  // Warm-up: one job per worker, all at once, so every worker has started and compiled.
  const warm = Array.from({ length: WORKERS }, () => p.jobs.send({ block: blocks[0], rounds: 1 }));
  for (let i = 0; i < WORKERS; i++) await p.results.receive();
  await Promise.all(warm);
  const startMs = performance.now() - t0;
  const start = performance.now();
  const { got, lastAt } = await pipeline(p.jobs, () => p.close(), p.results);
  const seconds = (lastAt - start) / 1000;
  check(got, 'pool');
  return { rate: JOBS / seconds, startMs, joinMs: performance.now() - lastAt };
}

/** Bare workers, the machine's ceiling now: each started worker hashes its share of the blocks, with no message per job. */
const BARE = `const { createHash } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
parentPort.once('message', () => {
  for (const block of workerData.blocks) { const h = createHash('sha256'); for (let r = 0; r < workerData.rounds; r++) h.update(block); h.digest('hex'); }
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');`;

async function bare(): Promise<number> {
  const threads = Array.from({ length: WORKERS }, (_, w) => new Worker(BARE, { eval: true, workerData: { blocks: blocks.filter((_, i) => i % WORKERS === w), rounds: ROUNDS } }));
  await Promise.all(threads.map((t) => new Promise((resolve) => t.once('message', resolve))));
  const start = performance.now();
  const done = Promise.all(threads.map((t) => new Promise((resolve) => t.once('message', resolve))));
  for (const t of threads) t.postMessage('go');
  await done;
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(threads.map((t) => t.terminate()));
  return JOBS / seconds;
}

/** piscina's worker: the same hash, as a CommonJS module piscina can load (written to a temporary folder). */
const PISCINA_WORKER = path.join(mkdtempSync(path.join(tmpdir(), 'pool-bench-')), 'hash.cjs');
writeFileSync(
  PISCINA_WORKER,
  `const { createHash } = require('node:crypto');
module.exports = ({ block, rounds }) => { const h = createHash('sha256'); for (let r = 0; r < rounds; r++) h.update(block); return h.digest('hex'); };\n`,
);

/** Jobs per second through piscina with `WORKERS` threads, for reference: every job submitted at once (`run()` per job), as piscina is used. */
async function throughPiscina(): Promise<number> {
  const p = new Piscina<HashJob, string>({ filename: PISCINA_WORKER, minThreads: WORKERS, maxThreads: WORKERS });
  await Promise.all(Array.from({ length: WORKERS }, () => p.run({ block: blocks[0], rounds: 1 })));
  const start = performance.now();
  const got = await Promise.all(blocks.map((block) => p.run({ block, rounds: ROUNDS })));
  const seconds = (performance.now() - start) / 1000;
  check(got, 'piscina');
  await p.close();
  return JOBS / seconds;
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const rows: { oneThread: number; pool: number; bare: number; piscina: number; startMs: number; joinMs: number }[] = [];
for (let r = 0; r < REPS; r++) {
  const single = await oneThread();
  const pooled = await throughPool();
  const ceiling = await bare();
  const reference = await throughPiscina();
  rows.push({ oneThread: single, pool: pooled.rate, bare: ceiling, piscina: reference, startMs: pooled.startMs, joinMs: pooled.joinMs });
  console.error(
    `rep ${r + 1}: one thread ${single.toFixed(1)} jobs/s, pool ${pooled.rate.toFixed(1)} (${(pooled.rate / single).toFixed(2)}×), ` +
      `bare workers ${ceiling.toFixed(1)} (${(ceiling / single).toFixed(2)}×), piscina ${reference.toFixed(1)} (${(reference / single).toFixed(2)}×)`,
  );
}
const a = median(rows.map((r) => r.oneThread));
const b = median(rows.map((r) => r.pool));
const c = median(rows.map((r) => r.bare));
const d = median(rows.map((r) => r.piscina));
const result = {
  jobs: JOBS,
  prefetch: PREFETCH,
  rounds: ROUNDS,
  workers: WORKERS,
  reps: REPS,
  oneThreadJobsPerS: a,
  poolJobsPerS: b,
  bareJobsPerS: c,
  ratio: b / a,
  bareRatio: c / a,
  piscinaJobsPerS: d,
  piscinaRatio: d / a,
  startMs: median(rows.map((r) => r.startMs)),
  joinMs: median(rows.map((r) => r.joinMs)),
  perRep: rows,
};
const mbps = (jobsPerS: number): string => ((jobsPerS * ROUNDS * 64) / 1024).toFixed(0);
console.log(`| ${JOBS} jobs × 64 KB × ${ROUNDS} SHA-256 rounds (median of ${REPS}) | jobs/s | MB/s hashed | ratio |`);
console.log('|---|---:|---:|---:|');
console.log(`| ${WORKERS} hashing tasklets, one thread | ${a.toFixed(1)} | ${mbps(a)} | 1.00 |`);
console.log(`| pool of ${WORKERS} workers | ${b.toFixed(1)} | ${mbps(b)} | ${(b / a).toFixed(2)} |`);
console.log(`| ${WORKERS} bare workers, no message per job (the ceiling) | ${c.toFixed(1)} | ${mbps(c)} | ${(c / a).toFixed(2)} |`);
console.log(`| piscina ${Piscina.version}, ${WORKERS} threads, every job submitted at once (reference) | ${d.toFixed(1)} | ${mbps(d)} | ${(d / a).toFixed(2)} |`);
console.log(
  `\npool start-up to ${WORKERS} warm workers: ${result.startMs.toFixed(0)} ms; close() after the last result until every thread has ended: ${result.joinMs.toFixed(0)} ms (medians)`,
);
if (OUT !== undefined) writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
