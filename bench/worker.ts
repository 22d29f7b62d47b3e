/**
 * Cross-thread ping-pong (issue 16): the main thread and one worker pass a number back and
 * forth, once over `tasklets/worker` (the main thread sends on a shared `ping` channel, the
 * worker receives it and sends it back on a shared `pong`) and once over a bare
 * `MessagePort` echo between the same two threads, the floor. Both run in the same process,
 * interleaved rep by rep; the ratio of the medians comes from this run alone.
 *
 *   npx tsx bench/worker.ts [--round-trips N] [--reps N] [--out PATH]
 *
 * Pin both threads to one core for numbers that repeat (`taskset -c 0 npx tsx
 * bench/worker.ts`): unpinned on this machine, waking the idle core is slow and the runs
 * are bimodal. Writes JSON to `--out` when given; prints a Markdown table.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Channel, run, tasklet } from '../lib/index';
import { share } from '../lib/worker';
import { writeFileSync } from 'node:fs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bench/worker.ts: ${name} takes a positive integer, received ${process.argv[at + 1]}`);
  return n;
}

const ROUND_TRIPS = option('--round-trips', 5000);
const REPS = option('--reps', 5);
const outAt = process.argv.indexOf('--out');
const OUT = outAt < 0 ? undefined : process.argv[outAt + 1];

/** Worker code, run with tsx's require hook (Node 20 passes no ESM loader hooks to workers). */
const ECHO = `const { workerData } = require('node:worker_threads'); workerData.port.on('message', (m) => workerData.port.postMessage(m));`;
const PONG = `require('tsx/cjs');
const { workerData } = require('node:worker_threads');
const { attach } = require(${JSON.stringify(path.join(ROOT, 'lib', 'worker.ts'))});
const ping = attach(workerData.ping), pong = attach(workerData.pong);
(async () => { for await (const v of ping) await pong.send(v); await pong.close(); })();`;

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** µs per round trip over a bare MessagePort echo. */
async function bare(): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(ECHO, { eval: true, workerData: { port: port2 }, transferList: [port2] });
  await settle(100);
  const start = performance.now();
  await new Promise<void>((done) => {
    let n = 0;
    port1.on('message', (m: number) => {
      if (m !== n) throw new Error(`bare: expected ${n}, got ${m}`);
      if (++n === ROUND_TRIPS) done();
      else port1.postMessage(n);
    });
    port1.postMessage(0);
  });
  const us = ((performance.now() - start) * 1000) / ROUND_TRIPS;
  port1.close();
  await w.terminate();
  return us;
}

/** µs per round trip over two channels shared with the worker. */
async function shared(): Promise<number> {
  const ping = new Channel<number>({ name: 'ping' });
  const pong = new Channel<number>({ name: 'pong' });
  const a = share(ping);
  const b = share(pong);
  const w = new Worker(PONG, { eval: true, workerData: { ping: a, pong: b }, transferList: [a.port, b.port] });
  await settle(300);
  const start = performance.now();
  tasklet(
    async () => {
      for (let i = 0; i < ROUND_TRIPS; i++) {
        await ping.send(i);
        const back = await pong.receive();
        if (back !== i) throw new Error(`tasklets/worker: expected ${i}, got ${back}`);
      }
      ping.close();
    },
    { name: 'pinger' },
  )();
  await run();
  const us = ((performance.now() - start) * 1000) / ROUND_TRIPS;
  await w.terminate();
  return us;
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const rows: { bare: number; shared: number }[] = [];
for (let r = 0; r < REPS; r++) rows.push({ bare: await bare(), shared: await shared() });
const b = median(rows.map((r) => r.bare));
const s = median(rows.map((r) => r.shared));
const result = { roundTrips: ROUND_TRIPS, reps: REPS, bareUs: b, sharedUs: s, ratio: s / b, perRep: rows };
console.log(`| round trip (µs, median of ${REPS}, ${ROUND_TRIPS} each) | bare MessagePort | tasklets/worker | ratio |`);
console.log('|---|---:|---:|---:|');
console.log(`| main thread ↔ one worker | ${b.toFixed(1)} | ${s.toFixed(1)} | ${(s / b).toFixed(2)} |`);
if (OUT !== undefined) writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
