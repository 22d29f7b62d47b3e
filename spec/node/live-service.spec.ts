/**
 * Regression: `run()` called a live Node service deadlocked. Worker tasklets parked on a
 * channel that an HTTP handler (or an `fs` callback) feeds made `run()` reject with
 * `DeadlockError` 2 ms after start-up, although the server went on answering. Under Node
 * (lib/node/host.ts) a ref'd I/O handle or request of the host's can still wake a party;
 * host timers, stdio and a test runner's channel cannot, so a true deadlock inside a test
 * is still reported at once, with the same report.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import { Channel, DeadlockError, run, tasklet } from '../../lib/index';
import { fromEvent } from '../../lib/node';
import { rejection, watch } from '../helpers';

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function request(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    }).on('error', reject);
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('a live service is not a deadlock', () => {
  test('an HTTP worker pool: run() waits while the server listens, and resolves after server.close() and work.close()', async () => {
    const work = new Channel<string>({ name: 'work', capacity: 8 });
    const done: string[] = [];
    for (let i = 0; i < 4; i++) {
      tasklet(
        async () => {
          for await (const job of work) done.push(job);
        },
        { name: `worker${i}` },
      )();
    }
    const server = createServer((req, res) => {
      const accepted = work.trySend(req.url!);
      res.statusCode = accepted ? 202 : 503;
      res.end();
    });
    const port = await listen(server);
    const running = run();
    const ran = watch(running);
    // Idle stretches between requests: the old loop rejected run() in the first one.
    for (let i = 0; i < 10; i++) {
      expect((await request(port, `/job${i}`)).status).toBe(202);
      await timer(15);
      expect(ran.settled).toBe(false);
    }
    expect(done).toEqual(Array.from({ length: 10 }, (_, i) => `/job${i}`));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    work.close();
    await running;
  });

  test('an fs callback that will feed the channel keeps run() waiting until it does', async () => {
    const ch = new Channel<number>({ name: 'sizes' });
    const consumer = tasklet(async () => ch.receive(), { name: 'consumer' })();
    readFile(__filename, (error, data) => {
      if (error === null) ch.trySend(data.length);
    });
    await run();
    expect(await consumer.join()).toBeGreaterThan(0);
  });

  test('when the last I/O handle goes away with parties still parked, run() reports the deadlock then', async () => {
    const work = new Channel<string>({ name: 'work' });
    const worker = tasklet(
      async () => {
        for await (const job of work) void job;
      },
      { name: 'worker' },
    )();
    const server = createServer((_req, res) => res.end());
    await listen(server);
    const running = run();
    const ran = watch(running);
    await timer(30);
    expect(ran.settled).toBe(false);
    const closedAt = Date.now();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await rejection(running);
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.tasklets).toEqual([worker]);
    expect(Date.now() - closedAt).toBeLessThan(1500); // the look-again timer backs off to 1 s at most
    await worker.kill();
  });
});

describe('an event source is not a deadlock', () => {
  test('a consumer of fromEvent whose emitter a setInterval drives: run() resolves once the emitter ends', async () => {
    const emitter = new EventEmitter();
    const seen: number[] = [];
    tasklet(
      async () => {
        for await (const n of fromEvent<number>(emitter, 'tick', { closeOn: ['end'] })) seen.push(n);
      },
      { name: 'consumer' },
    )();
    let n = 0;
    const interval = setInterval(() => {
      if (++n <= 5) emitter.emit('tick', n);
      else {
        clearInterval(interval);
        emitter.emit('end');
      }
    }, 5);
    await run();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(emitter.listenerCount('tick')).toBe(0);
  });

  test("once the emitter's listeners are off, a parked consumer is a deadlock again", async () => {
    const emitter = new EventEmitter();
    const ch = new Channel<number>({ name: 'never' });
    const events = fromEvent<number>(emitter, 'tick', { closeOn: ['end'] });
    const waiting = tasklet(async () => ch.receive(), { name: 'waiting' })();
    const ran = run();
    setTimeout(() => emitter.emit('end'), 10);
    const error = await rejection(ran);
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.tasklets).toEqual([waiting]);
    expect(events.closed).toBe(true);
    await waiting.kill();
  });
});

describe('a true deadlock is still reported at once', () => {
  const twoWaitingOnEachOther = () => {
    const a = new Channel<number>({ name: 'a' });
    const b = new Channel<number>({ name: 'b' });
    const left = tasklet(
      async () => {
        await a.receive();
        await b.send(1);
      },
      { name: 'left' },
    )();
    const right = tasklet(
      async () => {
        await b.receive();
        await a.send(1);
      },
      { name: 'right' },
    )();
    return [left, right];
  };
  const REPORT = ['deadlock: 2 tasklets parked and nothing runnable', '  tasklet "left" (#1) receives on channel "a" (balance -1)'];

  test('with no handle open (under Jest: its IPC channel and stdio do not count)', async () => {
    const ts = twoWaitingOnEachOther();
    const started = Date.now();
    const error = await rejection(run());
    expect(error).toBeInstanceOf(DeadlockError);
    expect(error.tasklets).toEqual(ts);
    expect(Date.now() - started).toBeLessThan(1000); // at once, not after a look-again timer that would never end
    await Promise.all(ts.map((t) => t.kill()));
  });

  test("with a host timer pending (a test runner's watchdog does not count)", async () => {
    const watchdog = setTimeout(() => {}, 10_000);
    try {
      const ts = twoWaitingOnEachOther();
      const started = Date.now();
      const error = await rejection(run());
      expect(error).toBeInstanceOf(DeadlockError);
      expect(Date.now() - started).toBeLessThan(1000); // at once, not after a look-again timer that would never end
      await Promise.all(ts.map((t) => t.kill()));
    } finally {
      clearTimeout(watchdog);
    }
  });

  test('under node --test, with the same report', async () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'deadlock-under-node-test.ts');
    const out = await new Promise<string>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', '--test', fixture], { cwd: path.join(__dirname, '..', '..'), timeout: 30000 }, (_e, stdout) => resolve(stdout));
    });
    expect(out).toContain('# pass 1');
    expect(out).toContain('# fail 0');
    const diagnostics = out
      .split('\n')
      .filter((l) => l.startsWith('# '))
      .map((l) => l.slice(2).replace(/\\#/g, '#'));
    expect(diagnostics).toEqual(expect.arrayContaining([...REPORT, '  tasklet "right" (#2) receives on channel "b" (balance -1)']));
  });
});
