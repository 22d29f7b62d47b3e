/**
 * A small HTTP service on tasklets, the program behind docs/11-tasklets-in-a-node-service.md:
 *
 * - `GET /work?ms=N`: a job for a pool of worker tasklets, handed over a bounded channel;
 *   200 with the answer, 503 when the queue is full (or the service is shutting down), 504
 *   when the request's deadline passes first. A job waits `N` ms (standing for I/O) and
 *   hashes its id (standing for a little CPU).
 * - `GET /stream?lines=N`: `N` lines, one every 50 ms, made by a tasklet and streamed to
 *   the client with `toWritable`; a client that hangs up stops the stream and the tasklet.
 * - SIGTERM: stop accepting, let the pool drain what it accepted, join it; `await run()`
 *   then resolves and the process exits 0.
 *
 *   npx tsx examples/service.ts              serve on 127.0.0.1:$PORT (default 8080) until SIGTERM
 *   npx tsx examples/service.ts --self-test  start the service as a child process, talk to it, SIGTERM it
 *
 * Environment: PORT (0: any free port), WORKERS (default 4), QUEUE (default 16),
 * DEADLINE_MS (default 1000).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Channel, run, sleep, tasklet, timeoutSignal } from '../lib/index';
import { toWritable, WritableClosedError } from '../lib/node';

export interface Config {
  port: number;
  workers: number;
  queue: number;
  deadlineMs: number;
}

/** One request's work, as the pool receives it. */
interface Job {
  id: number;
  ms: number;
  /** Aborts when the request's deadline passes or its client hangs up. */
  signal: AbortSignal;
  /** Capacity 1, so a worker never waits for a handler that has given up. */
  reply: Channel<string>;
}

/** The job itself: wait `ms` (an I/O call), then hash the id (a little CPU). */
async function perform(job: Job): Promise<string> {
  job.signal.throwIfAborted(); // its request is over: do not start it
  if (job.ms > 0) await sleep(job.ms, { signal: job.signal });
  return `job ${job.id}: ${createHash('sha256').update(String(job.id)).digest('hex').slice(0, 8)}\n`;
}

export async function serve(config: Config): Promise<void> {
  const work = new Channel<Job>({ capacity: config.queue, name: 'work' });
  const counts = { accepted: 0, done: 0, abandoned: 0, refused: 0 }; // accepted = done + abandoned

  const worker = tasklet(
    async () => {
      for await (const job of work) {
        // ends once work is closed and drained
        try {
          job.reply.trySend(await perform(job)); // never parks: the reply has room for one
          counts.done++;
        } catch (error) {
          if (!job.signal.aborted) throw error;
          counts.abandoned++; // its deadline passed or its client left: nobody wants the answer
        }
      }
    },
    { name: 'worker' },
  );
  const pool = Array.from({ length: config.workers }, () => worker());

  let nextJob = 0;
  async function handleWork(res: ServerResponse, ms: number): Promise<void> {
    const hungUp = new AbortController();
    res.once('close', () => hungUp.abort(new Error('client hung up'))); // harmless once answered
    const signal = AbortSignal.any([timeoutSignal(config.deadlineMs), hungUp.signal]);
    const job: Job = { id: ++nextJob, ms, signal, reply: new Channel<string>({ capacity: 1, name: 'reply' }) };
    if (work.closing || !work.trySend(job)) {
      // never parks: a full queue is the client's to retry
      counts.refused++;
      res.writeHead(503, { 'retry-after': '1' }).end('busy, try again\n');
      return;
    }
    counts.accepted++;
    try {
      res.end(await job.reply.receive({ signal })); // parks until a worker answers
    } catch (error) {
      if (!signal.aborted) throw error;
      if (!hungUp.signal.aborted) res.writeHead(504).end('deadline passed\n');
    }
  }

  let nextStream = 0;
  const producer = tasklet(
    async (id: number, lines: Channel<string>, count: number) => {
      let sent = 0;
      try {
        for (let i = 1; i <= count; i++) {
          await sleep(50);
          await lines.send(`line ${i}\n`); // parks until toWritable takes it: the client's pace
          sent++;
        }
        lines.close();
      } finally {
        console.log(`stream ${id}: producer stops after ${sent} of ${count} lines`);
      }
    },
    { name: 'producer' },
  );

  async function handleStream(res: ServerResponse, count: number): Promise<void> {
    const id = ++nextStream;
    const lines = new Channel<string>({ name: 'lines' });
    const producing = producer(id, lines, count);
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    try {
      console.log(`stream ${id}: ${await toWritable(lines, res)} lines sent`); // ends res after the last
    } catch (error) {
      if (!(error instanceof WritableClosedError)) throw error;
      console.log(`stream ${id}: the client hung up after ${error.written} lines`);
    } finally {
      await producing.kill(); // wherever it waits (a no-op once it has finished): nothing leaks
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://service');
    const n = Number(url.searchParams.get(url.pathname === '/stream' ? 'lines' : 'ms') ?? 0);
    const handled = url.pathname === '/work' ? handleWork(res, n) : url.pathname === '/stream' ? handleStream(res, n) : Promise.resolve(void res.writeHead(404).end('not found\n'));
    handled.catch((error: unknown) => {
      console.error(error);
      res.destroy();
    });
  });

  function shutdown(): void {
    console.log('SIGTERM: closing the server and the work channel; the pool drains what it accepted');
    server.close(); // no new connections; the requests in flight are answered
    work.close(); // no new jobs; the workers finish the ones accepted, then their loops end
    void Promise.all(pool.map((w) => w.join())).then(() => {
      const { accepted, done, abandoned, refused } = counts;
      console.log(`pool joined: ${accepted} accepted = ${done} done + ${abandoned} abandoned; ${refused} refused (503)`);
    });
  }
  process.once('SIGTERM', shutdown);

  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port} (${config.workers} workers, a queue of ${config.queue}, deadline ${config.deadlineMs} ms)`);
  await run(); // waits while the server listens; resolves once it has closed and every tasklet has finished
  console.log('run() resolved: the server is closed and every tasklet has finished');
}

/** The self-test's client: one request; `hangUpAfter` lines of the body, then hang up. */
function get(port: number, path: string, hangUpAfter = Infinity): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.split('\n').length - 1 >= hangUpAfter) {
          req.destroy(); // the client goes away mid-stream
          resolve({ status: res.statusCode!, body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The self-test: starts this file as a service (2 workers, a queue of 2, a 200 ms
 * deadline) in a child process, makes requests that meet every path of it, sends it
 * SIGTERM with jobs in flight, and prints what the client saw, then what the service
 * printed and how it exited. examples.spec.ts checks every line.
 */
export async function main(): Promise<void> {
  const self = /service\.ts$/.test(process.argv[1] ?? '') ? process.argv[1] : 'examples/service.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', self], {
    env: { ...process.env, PORT: '0', WORKERS: '2', QUEUE: '2', DEADLINE_MS: '200' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const orphan = (): boolean => child.kill('SIGKILL'); // should this process end first
  process.once('exit', orphan);
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  exited.finally(() => process.off('exit', orphan)).catch(() => {});
  const printed = async (text: string): Promise<void> => {
    while (!out.includes(text)) {
      if (child.exitCode !== null) throw new Error(`the service exited before printing "${text}":\n${out}${err}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const show = async (path: string, hangUpAfter?: number): Promise<void> => {
    const { status, body } = await get(port, path, hangUpAfter);
    const lines = body.trimEnd().split('\n');
    const shown = path.startsWith('/stream') ? lines.join(' | ') : body.trimEnd();
    console.log(`GET ${path} -> ${status} ${shown}${hangUpAfter === undefined ? '' : ', then the client hangs up'}`);
  };
  const statuses = (results: { status: number }[]): string =>
    results
      .map((r) => r.status)
      .sort()
      .join(' ');

  await printed('listening on');
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
  await show('/work?ms=10');
  const burst = await Promise.all(Array.from({ length: 5 }, () => get(port, '/work?ms=50')));
  console.log(`5 x GET /work?ms=50 at once -> ${statuses(burst)}`);
  await show('/work?ms=500');
  await show('/stream?lines=3');
  await show('/stream?lines=50', 2);
  await printed('stream 2: producer stops');

  const inFlight = Promise.all(Array.from({ length: 3 }, () => get(port, '/work?ms=50')));
  await new Promise((resolve) => setTimeout(resolve, 20)); // the three are accepted
  child.kill('SIGTERM');
  await printed('SIGTERM');
  const refused = await get(port, '/work?ms=10').then(
    (r) => `${r.status}`,
    (error: NodeJS.ErrnoException) => error.code,
  );
  console.log(`SIGTERM with 3 jobs in flight -> ${statuses(await inFlight)}; a new request -> ${refused}`);
  const [code, signal] = await exited;
  console.log('the service printed:');
  for (const line of out.trimEnd().split('\n')) console.log(`  ${line.replace(/:\d+ /, ':<port> ')}`);
  console.log(`the service exited with code ${code}${signal === null ? '' : ` (${signal})`}; ${err === '' ? 'nothing on stderr' : `stderr:\n${err}`}`);
}

const invoked = /service\.ts$/.test(process.argv[1] ?? '');
if (invoked && process.argv.includes('--self-test')) void main();
else if (invoked) {
  void serve({
    port: Number(process.env.PORT ?? 8080),
    workers: Number(process.env.WORKERS ?? 4),
    queue: Number(process.env.QUEUE ?? 16),
    deadlineMs: Number(process.env.DEADLINE_MS ?? 1000),
  });
}
