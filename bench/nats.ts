/**
 * tasklets/nats against raw NATS between the same two connections, in one process, rep by
 * rep interleaved, on a nats-server this script starts on a free 127.0.0.1 port (JetStream
 * on, a temporary store) and stops:
 *
 *  - rendezvous latency: one sender, values one at a time to a `for await` receiver, against
 *    raw request/reply to a responder subscription (µs per value);
 *  - rendezvous throughput with 1 and 64 concurrent senders, against raw requests with 1 and
 *    64 outstanding (values/s);
 *  - durable throughput: 256 sends in flight into a channel of capacity 1024 and a `for await`
 *    receiver, against raw JetStream publish (256 in flight) and a pull consumer that acks
 *    each message (values/s);
 *  - hackysack over three processes (30 players, as many kicks as values): µs per kick,
 *    against a raw request (a kick is one rendezvous send between two processes).
 *
 *   npx tsx bench/nats.ts [--values N] [--reps N] [--only rendezvous|durable|hackysack] [--out PATH] [--no-async-traces]
 *
 * `--no-async-traces` connects with the client's `noAsyncTraces: true`, which spares raw
 * requests two of the three stack traces the client captures per request (tasklets/nats
 * makes no request through the client per value, so it matters to the baseline only).
 *
 * Prints a Markdown table of medians and ratios (ours / raw, in the direction where > 1 is
 * slower for latency and faster for throughput); writes JSON to `--out` when given.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, connect, type NatsConnection, RetentionPolicy } from 'nats';
import { natsChannel } from '../lib/nats';
import { TestServer } from '../spec/nats/server';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bench/nats.ts: ${name} takes a positive integer, received ${process.argv[at + 1]}`);
  return n;
}
const VALUES = option('--values', 4000);
const REPS = option('--reps', 5);
const outAt = process.argv.indexOf('--out');
const OUT = outAt < 0 ? undefined : process.argv[outAt + 1];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let round = 0;

/** Runs `senders` loops sharing `n` sends; resolves with the elapsed ms. */
async function loops(senders: number, n: number, send: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: senders }, async (_, k) => { for (let i = k; i < n; i += senders) await send(i); })); // prettier-ignore
  return performance.now() - t0;
}

async function rawRequest(a: NatsConnection, b: NatsConnection, senders: number): Promise<number> {
  const subject = `bench.raw.${++round}`;
  const sub = b.subscribe(subject, { queue: 'q', callback: (_e, m) => m.respond(m.data) });
  await b.flush();
  const data = new TextEncoder().encode('{"v":1}');
  const ms = await loops(senders, VALUES, () => a.request(subject, data, { timeout: 5000 }));
  sub.unsubscribe();
  return ms;
}

async function rendezvous(a: NatsConnection, b: NatsConnection, senders: number): Promise<number> {
  const subject = `bench.rv.${++round}`;
  const tx = natsChannel<number>(a, subject);
  const rx = natsChannel<number>(b, subject);
  let got = 0;
  const receiving = (async () => { for await (const v of rx) got += v >= 0 ? 1 : 0; })(); // prettier-ignore
  const ms = await loops(senders, VALUES, (i) => tx.send(i));
  await tx.close();
  await receiving;
  if (got !== VALUES) throw new Error(`rendezvous: ${got} of ${VALUES} received`);
  return ms;
}

async function rawJetStream(a: NatsConnection, b: NatsConnection): Promise<number> {
  const name = `BENCH_RAW_${++round}`;
  const subject = `bench.js.${round}`;
  const jsm = await a.jetstreamManager();
  // No bound: with one, the default discard policy (old) would drop values a slow consumer has not taken yet, and this loop would wait for them forever.
  await jsm.streams.add({ name, subjects: [subject], retention: RetentionPolicy.Workqueue });
  await jsm.consumers.add(name, { durable_name: 'c', ack_policy: AckPolicy.Explicit });
  const consumer = await b.jetstream().consumers.get(name, 'c');
  const messages = await consumer.consume({ max_messages: 256 });
  const js = a.jetstream();
  const data = new TextEncoder().encode('{"v":1}');
  const t0 = performance.now();
  const consuming = (async () => {
    let n = 0;
    for await (const m of messages) {
      m.ack();
      if (++n === VALUES) break;
    }
  })();
  await loops(256, VALUES, () => js.publish(subject, data));
  await consuming;
  const ms = performance.now() - t0;
  await jsm.streams.delete(name);
  return ms;
}

async function durable(a: NatsConnection, b: NatsConnection): Promise<number> {
  const subject = `bench.dur.${++round}`;
  const options = { capacity: 1024, durable: true as const };
  const tx = natsChannel<number>(a, subject, options);
  const rx = natsChannel<number>(b, subject, options);
  const trace = (what: string): void => void (process.env.BENCH_TRACE && console.error(`durable ${subject}: ${what}`));
  await tx.send(-1);
  trace('warm send');
  await rx.receive(); // both ends set up before the clock starts, as the raw stream is
  trace('warm receive');
  let got = 0;
  const t0 = performance.now();
  const receiving = (async () => {
    for await (const v of rx) if (v >= 0 && ++got === VALUES) break;
  })();
  await loops(256, VALUES, (i) => tx.send(i));
  trace('sent');
  await receiving;
  trace('received');
  const ms = performance.now() - t0;
  await tx.close();
  trace('closed');
  return ms;
}

/**
 * One hackysack game over three processes (spec/nats/fixtures/hackysack.ts), 30 players,
 * `VALUES` kicks; the ms from its first kick to its last. A kick is one rendezvous send
 * from one process to another, so its time compares with a raw request's.
 */
async function hackysack(url: string): Promise<number> {
  const game = join(import.meta.dirname, '..', 'spec', 'nats', 'fixtures', 'hackysack.ts');
  const args = ['--import', 'tsx', game, '--nats', url, '--processes', '3', '--players', '30', '--turns', `${VALUES}`];
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, args, (e, stdout) => (e === null ? resolve(stdout) : reject(new Error(`hackysack: ${e.message}`)))),
  );
  const r = JSON.parse(out) as { kicks: number; finished: number; playedMs: number };
  if (r.kicks !== VALUES || r.finished !== 30) throw new Error(`hackysack: ${r.kicks} kicks, ${r.finished} finished`);
  return r.playedMs;
}

const server = await new TestServer().start();
try {
  const noAsyncTraces = process.argv.includes('--no-async-traces');
  const a = await connect({ servers: server.url, noAsyncTraces });
  const b = await connect({ servers: server.url, noAsyncTraces });
  const cases: [string, 'µs' | '/s', () => Promise<number>, () => Promise<number>][] = [
    ['rendezvous latency (1 sender)', 'µs', () => rendezvous(a, b, 1), () => rawRequest(a, b, 1)],
    ['rendezvous throughput, 64 senders', '/s', () => rendezvous(a, b, 64), () => rawRequest(a, b, 64)],
    ['durable throughput, 256 in flight', '/s', () => durable(a, b), () => rawJetStream(a, b)],
    ['hackysack, 3 processes: per kick', 'µs', () => hackysack(server.url), () => rawRequest(a, b, 1)],
  ];
  const results = [];
  console.log(`| case (${VALUES} values, median of ${REPS}) | tasklets/nats | raw NATS | ratio |\n|---|---|---|---|`);
  const only = process.argv.indexOf('--only');
  for (const [name, unit, ours, raw] of cases) {
    if (only >= 0 && !name.startsWith(process.argv[only + 1])) continue;
    await ours(); // warm up both
    await raw();
    const o: number[] = [];
    const r: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      o.push(await ours());
      r.push(await raw());
      if (process.env.BENCH_TRACE) console.error(`${name}: rep ${rep} done`);
    }
    const mo = median(o);
    const mr = median(r);
    const show = (ms: number): string => (unit === 'µs' ? `${((ms * 1000) / VALUES).toFixed(0)} µs` : `${Math.round(VALUES / (ms / 1000))}/s`);
    const ratio = unit === 'µs' ? mo / mr : mr / mo;
    console.log(`| ${name} | ${show(mo)} | ${show(mr)} | ${ratio.toFixed(2)}${unit === 'µs' ? '× the latency' : '× the throughput'} |`);
    results.push({ name, unit, oursMs: o, rawMs: r, ratio });
  }
  if (OUT !== undefined) writeFileSync(OUT, JSON.stringify({ values: VALUES, reps: REPS, results }, null, 2));
  await a.close();
  await b.close();
} finally {
  await server.dispose();
}
