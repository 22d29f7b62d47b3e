/**
 * Buffered throughput across threads (issue 16): one producer thread, one consumer thread,
 * small values through a channel of capacity 1,024, against a bare `MessagePort` stream
 * with the same backpressure window (the consumer acknowledges every 256 values; the
 * producer never has more than 1,024 unacknowledged). Both in one process, interleaved rep
 * by rep; ratios come from this run alone.
 *
 *   npx tsx bench/worker-stream.ts [--values N] [--reps N] [--out PATH]
 *
 * Two placements of the channel: owned by the producer's thread (the consumer receives
 * remotely) and owned by the consumer's (the producer sends remotely). Prints a Markdown
 * table; writes JSON to `--out` when given.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Channel, run, tasklet } from '../lib/index';
import { share } from '../lib/worker';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CAPACITY = 1024;
const ACK_EVERY = 256;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bench/worker-stream.ts: ${name} takes a positive integer, received ${process.argv[at + 1]}`);
  return n;
}

const VALUES = option('--values', 50_000);
const REPS = option('--reps', 5);
const outAt = process.argv.indexOf('--out');
const OUT = outAt < 0 ? undefined : process.argv[outAt + 1];

const BARE = `const { workerData } = require('node:worker_threads');
let n = 0, since = 0;
workerData.port.on('message', (m) => {
  if (m !== n) throw new Error('bare: expected ' + n + ', got ' + m);
  n++;
  if (++since === ${ACK_EVERY} || n === workerData.values) { workerData.port.postMessage(since); since = 0; }
});`;

const LIBRARY = `require('tsx/cjs');
const { workerData } = require('node:worker_threads');
const { attach } = require(${JSON.stringify(path.join(ROOT, 'lib', 'worker.ts'))});
const { Channel, run, tasklet } = require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))});
const { share } = require(${JSON.stringify(path.join(ROOT, 'lib', 'worker.ts'))});
const { parentPort } = require('node:worker_threads');
if (workerData.mode === 'remote-consumer') {
  const stream = attach(workerData.stream);
  (async () => { let n = 0; for await (const v of stream) { if (v !== n) throw new Error('expected ' + n + ', got ' + v); n++; } parentPort.postMessage(n); })();
} else {
  const stream = new Channel({ capacity: ${CAPACITY}, name: 'stream' });
  const handle = share(stream);
  parentPort.postMessage(handle, [handle.port]);
  // The channel's port holds a thread only while a remote operation is pending on it: the
  // consumer parked here waits for the other thread, so the parent port keeps this one up.
  parentPort.on('message', () => {});
  tasklet(async () => { let n = 0; for await (const v of stream) { if (v !== n) throw new Error('expected ' + n + ', got ' + v); n++; } parentPort.postMessage(n); })();
  void run();
}`;

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Values per second over a bare port with an acknowledgement window. */
async function bare(): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(BARE, { eval: true, workerData: { port: port2, values: VALUES }, transferList: [port2] });
  await settle(100);
  const start = performance.now();
  await new Promise<void>((done) => {
    let sent = 0;
    let acked = 0;
    const pump = (): void => {
      while (sent < VALUES && sent - acked < CAPACITY) port1.postMessage(sent++);
    };
    port1.on('message', (k: number) => {
      acked += k;
      if (acked === VALUES) done();
      else pump();
    });
    pump();
  });
  const perSecond = VALUES / ((performance.now() - start) / 1000);
  port1.close();
  await w.terminate();
  return perSecond;
}

/** Values per second through a shared channel: the producer here, the consumer in a worker. */
async function library(mode: 'remote-consumer' | 'remote-producer'): Promise<number> {
  let w: Worker;
  let send: (v: number) => Promise<void>;
  let close: () => unknown;
  if (mode === 'remote-consumer') {
    const stream = new Channel<number>({ capacity: CAPACITY, name: 'stream' });
    const handle = share(stream);
    w = new Worker(LIBRARY, { eval: true, workerData: { mode, stream: handle }, transferList: [handle.port] });
    send = (v) => stream.send(v);
    close = () => stream.close();
  } else {
    w = new Worker(LIBRARY, { eval: true, workerData: { mode } });
    const { attach } = await import('../lib/worker');
    const handle = await new Promise<Parameters<typeof attach<number>>[0]>((resolve) => w.once('message', resolve));
    const stream = attach<number>(handle);
    send = (v) => stream.send(v);
    close = () => stream.close();
  }
  const received = new Promise<number>((resolve) => w.on('message', (m: unknown) => typeof m === 'number' && resolve(m)));
  await settle(300);
  const start = performance.now();
  tasklet(async () => {
    for (let i = 0; i < VALUES; i++) await send(i);
    await close();
  })();
  await run();
  const n = await received;
  if (n !== VALUES) throw new Error(`${mode}: the consumer received ${n} values, not ${VALUES}`);
  const perSecond = VALUES / ((performance.now() - start) / 1000);
  await w.terminate();
  return perSecond;
}

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const rows: { bare: number; remoteConsumer: number; remoteProducer: number }[] = [];
const ONLY = process.argv.includes('--only-producer'); // for a profile of that placement alone
for (let r = 0; r < REPS; r++) {
  if (ONLY) rows.push({ bare: NaN, remoteConsumer: NaN, remoteProducer: await library('remote-producer') });
  else rows.push({ bare: await bare(), remoteConsumer: await library('remote-consumer'), remoteProducer: await library('remote-producer') });
}
const b = median(rows.map((r) => r.bare));
const c = median(rows.map((r) => r.remoteConsumer));
const p = median(rows.map((r) => r.remoteProducer));
const k = (x: number): string => Math.round(x).toLocaleString('en-US');
console.log(`| values/s (median of ${REPS}, ${VALUES.toLocaleString('en-US')} each, capacity ${CAPACITY}) | values/s | ÷ bare |`);
console.log('|---|---:|---:|');
console.log(`| bare MessagePort stream, window ${CAPACITY}, ack every ${ACK_EVERY} | ${k(b)} | 1.00 |`);
console.log(`| channel in the producer's thread, consumer receives remotely | ${k(c)} | ${(c / b).toFixed(3)} |`);
console.log(`| channel in the consumer's thread, producer sends remotely | ${k(p)} | ${(p / b).toFixed(3)} |`);
if (OUT !== undefined)
  writeFileSync(OUT, `${JSON.stringify({ values: VALUES, reps: REPS, capacity: CAPACITY, bare: b, remoteConsumer: c, remoteProducer: p, perRep: rows }, null, 2)}\n`);
