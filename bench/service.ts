/**
 * The service under load: examples/service.ts (a worker pool of tasklets behind a bounded
 * channel) against the same service without the library (`--plain` below: each handler
 * does the job inline, admitting at most workers + queue requests at once), on loopback.
 *
 *   npx tsx bench/service.ts [--requests 20000] [--concurrency 64] [--reps 5] [--warmup 1000]
 *                            [--workers 4] [--queue 64]
 *
 * Each run starts the server in a fresh child process (127.0.0.1, a free port; `--workers`
 * workers, a queue of `--queue`, a 5 s deadline; a queue smaller than the concurrency makes
 * 503s, counted apart), sends `--warmup` and then `--requests` GET /work?ms=0
 * from `--concurrency` keep-alive connections of this process, and times the second part;
 * then it sends the server SIGTERM and reads its summary line. A run passes only if nothing
 * is lost: every 200 the client got is a job the server says it did, every job the server
 * accepted was done or abandoned (and none was abandoned), the 503s match, the server
 * exited 0 with nothing on stderr. The two services are interleaved run by run (A B, B A,
 * …) so that a slow stretch of this shared machine hits both alike; the table gives
 * medians. Every run is bounded (60 s); the whole stops by itself.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENV = { PORT: '0', WORKERS: '4', QUEUE: '64', DEADLINE_MS: '5000' };
const RUN_LIMIT_MS = 60_000;

/** The service without the library: the same endpoint, the same job, the same signals. */
async function servePlain(): Promise<void> {
  const workers = Number(process.env.WORKERS ?? 4);
  const queue = Number(process.env.QUEUE ?? 16);
  const deadlineMs = Number(process.env.DEADLINE_MS ?? 1000);
  const counts = { accepted: 0, done: 0, abandoned: 0, refused: 0 };
  let inFlight = 0;
  let closing = false;
  let nextJob = 0;
  async function handleWork(res: ServerResponse, ms: number): Promise<void> {
    const hungUp = new AbortController();
    res.once('close', () => hungUp.abort(new Error('client hung up')));
    const signal = AbortSignal.any([AbortSignal.timeout(deadlineMs), hungUp.signal]);
    const id = ++nextJob;
    if (closing || inFlight >= workers + queue) {
      counts.refused++;
      res.writeHead(503, { 'retry-after': '1' }).end('busy, try again\n');
      return;
    }
    counts.accepted++;
    inFlight++;
    try {
      if (ms > 0) await delay(ms, undefined, { signal });
      const answer = `job ${id}: ${createHash('sha256').update(String(id)).digest('hex').slice(0, 8)}\n`;
      counts.done++;
      res.end(answer);
    } catch (error) {
      if (!signal.aborted) throw error;
      counts.abandoned++;
      if (!hungUp.signal.aborted) res.writeHead(504).end('deadline passed\n');
    } finally {
      inFlight--;
    }
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://service');
    if (url.pathname !== '/work') return void res.writeHead(404).end('not found\n');
    handleWork(res, Number(url.searchParams.get('ms') ?? 0)).catch((error: unknown) => {
      console.error(error);
      res.destroy();
    });
  });
  process.once('SIGTERM', () => {
    closing = true;
    server.close(() => {
      const { accepted, done, abandoned, refused } = counts;
      console.log(`pool joined: ${accepted} accepted = ${done} done + ${abandoned} abandoned; ${refused} refused (503)`);
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

type Service = 'tasklets' | 'plain';

interface Result {
  service: Service;
  rps: number;
  ok: number;
  refused: number;
  other: number;
  server: { accepted: number; done: number; abandoned: number; refused: number };
  lost: string[];
}

/** `count` requests from `concurrency` loops over one keep-alive agent; status counts. */
async function load(agent: Agent, port: number, count: number, concurrency: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let sent = 0;
  const one = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/work?ms=0', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < count) {
        sent++;
        const status = await one();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

async function measure(service: Service, requests: number, concurrency: number, warmup: number): Promise<Result> {
  const args = service === 'tasklets' ? [path.join(ROOT, 'examples/service.ts')] : [fileURLToPath(import.meta.url), '--plain'];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(out)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${service} did not start:\n${out}${err}`);
      await delay(10);
    }
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const warm = await load(agent, port, warmup, concurrency);
    const start = performance.now();
    const timed = await load(agent, port, requests, concurrency);
    const ms = performance.now() - start;
    agent.destroy();
    child.kill('SIGTERM');
    const code = await exited;
    const sum = (status: number): number => (warm.get(status) ?? 0) + (timed.get(status) ?? 0);
    const all = [...new Set([...warm.keys(), ...timed.keys()])];
    const ok = sum(200);
    const refused = sum(503);
    const other = all.filter((s) => s !== 200 && s !== 503).reduce((n, s) => n + sum(s), 0);
    const m = /pool joined: (\d+) accepted = (\d+) done \+ (\d+) abandoned; (\d+) refused/.exec(out);
    const server = m === null ? { accepted: -1, done: -1, abandoned: -1, refused: -1 } : { accepted: +m[1], done: +m[2], abandoned: +m[3], refused: +m[4] };
    const lost: string[] = [];
    if (code !== 0) lost.push(`exit code ${code}`);
    if (err !== '') lost.push(`stderr: ${err.trim().split('\n')[0]}`);
    if (m === null) lost.push('no summary line');
    if (ok + refused + other !== warmup + requests) lost.push(`${warmup + requests - ok - refused - other} responses missing`);
    if (other !== 0) lost.push(`${other} responses neither 200 nor 503`);
    if (server.done !== ok) lost.push(`client got ${ok} answers, server did ${server.done} jobs`);
    if (server.accepted !== server.done + server.abandoned || server.abandoned !== 0)
      lost.push(`accepted ${server.accepted} != done ${server.done} (+${server.abandoned} abandoned)`);
    if (server.refused !== refused) lost.push(`client got ${refused} 503s, server refused ${server.refused}`);
    return { service, rps: (requests / ms) * 1000, ok, refused, other, server, lost };
  } finally {
    clearTimeout(limit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '64' },
      reps: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1000' },
      workers: { type: 'string', default: ENV.WORKERS },
      queue: { type: 'string', default: ENV.QUEUE },
    },
  });
  ENV.WORKERS = String(Number(values.workers));
  ENV.QUEUE = String(Number(values.queue));
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const reps = Number(values.reps);
  const warmup = Number(values.warmup);
  console.log(
    `${new Date().toISOString().slice(0, 10)}, node ${process.version}: ${requests.toLocaleString('en-US')} requests ` +
      `(after ${warmup.toLocaleString('en-US')} warm-up), ${concurrency} at a time, keep-alive, 127.0.0.1; ` +
      `server: ${ENV.WORKERS} workers, a queue of ${ENV.QUEUE}; ${reps} reps, interleaved`,
  );
  const results: Result[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const order: Service[] = rep % 2 === 1 ? ['tasklets', 'plain'] : ['plain', 'tasklets'];
    for (const service of order) {
      const r = await measure(service, requests, concurrency, warmup);
      results.push(r);
      console.log(
        `rep ${rep} ${service.padEnd(8)} ${Math.round(r.rps).toLocaleString('en-US').padStart(7)} req/s; ` +
          `200: ${r.ok}, 503: ${r.refused}; server: ${r.server.accepted} accepted, ${r.server.done} done, ` +
          `${r.server.abandoned} abandoned, ${r.server.refused} refused${r.lost.length === 0 ? '; nothing lost' : `; FAILED: ${r.lost.join('; ')}`}`,
      );
    }
  }
  const rps = (service: Service): number[] => results.filter((r) => r.service === service).map((r) => r.rps);
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const summary = (service: Service): string => `${service} ${n(median(rps(service)))} (${n(Math.min(...rps(service)))} to ${n(Math.max(...rps(service)))})`;
  const failed = results.filter((r) => r.lost.length > 0).length;
  // Each rep's own ratio too: the two runs of a rep are back to back, so a slow stretch of
  // the machine tends to hit both of them.
  const t = rps('tasklets');
  const p = rps('plain');
  const ratios = t.map((x, i) => x / p[i]);
  console.log(`median req/s: ${summary('tasklets')}, ${summary('plain')}`);
  console.log(
    `tasklets/plain: ${(median(t) / median(p)).toFixed(2)} (medians), ${median(ratios).toFixed(2)} (median of the reps' ratios, ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)})`,
  );
  console.log(failed === 0 ? `nothing lost in ${results.length} runs` : `${failed} of ${results.length} runs FAILED`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv.includes('--plain')) void servePlain();
else void main();
