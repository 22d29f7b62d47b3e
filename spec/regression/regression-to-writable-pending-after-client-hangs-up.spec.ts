/**
 * Issue 13.4: when an HTTP client hung up, `toWritable(lines, res)` stayed pending for
 * ever (it waited on 'drain' and 'finish', never on 'close'), so its caller's `finally`
 * never ran and every disconnected client leaked what it held. It now watches the stream
 * with `stream.finished` and rejects at once with `WritableClosedError`, which says how
 * many values were written; the values not received stay in the channel.
 */
import { get, type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Channel, ChannelClosedError, fromIterable, run, sleep, tasklet } from '../../lib/index';
import { toWritable, WritableClosedError } from '../../lib/node';
import { rejection, takeAll } from '../helpers';

/** `p`, or a failure naming what hung after `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  return Promise.race([p, hung]).finally(() => clearTimeout(timer));
}

describe('toWritable settles when the stream goes away', () => {
  test('a real HTTP client that disconnects mid-stream: toWritable rejects at once, the finally runs, nothing is lost', async () => {
    let sent = 0;
    let settled!: (outcome: { error: unknown; leftover: string[]; finallyRan: boolean }) => void;
    const outcome = new Promise<{ error: unknown; leftover: string[]; finallyRan: boolean }>((resolve) => (settled = resolve));
    const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
      const lines = new Channel<string>({ capacity: 4, name: 'lines' });
      // The producer: a line every millisecond until the channel closes.
      const producer = tasklet(
        async () => {
          try {
            for (let i = 0; ; i++) {
              await lines.send(`line ${i}\n`);
              sent++;
              await sleep(1);
            }
          } catch (e) {
            if (!(e instanceof ChannelClosedError)) throw e;
          }
        },
        { name: 'producer' },
      )();
      res.writeHead(200, { 'content-type': 'text/plain' });
      let error: unknown = null;
      toWritable(lines, res)
        .catch((e: unknown) => {
          error = e;
        })
        .finally(async () => {
          // the handler's cleanup: stop the producer, keep what it had sent
          lines.close();
          const leftover = takeAll(lines);
          await producer.join();
          leftover.push(...takeAll(lines));
          settled({ error, leftover, finallyRan: true });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let received = '';
    await new Promise<void>((resolve, reject) => {
      const req = get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received += chunk;
          if (received.split('\n').length > 5) {
            req.destroy(); // the client hangs up mid-stream
            resolve();
          }
        });
      });
      req.on('error', (e) => (req.destroyed ? resolve() : reject(e)));
    });
    const started = Date.now();
    const { error, leftover, finallyRan } = await within(outcome, 2000, 'toWritable after the client hung up');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(finallyRan).toBe(true);
    expect(error).toBeInstanceOf(WritableClosedError);
    const e = error as WritableClosedError;
    expect(e.message).toMatch(/^toWritable\(\): the stream went away after \d+ values? written from channel "lines"/);
    expect(e.written).toBeGreaterThanOrEqual(5);
    expect(e.unwritten.length).toBeLessThanOrEqual(1);
    // every line the producer sent was written, is the one on the error, or is still in the channel
    expect(e.written + e.unwritten.length + leftover.length).toBe(sent);
    const lineNo = (s: string): number => Number(/line (\d+)/.exec(s)![1]);
    expect([...e.unwritten, ...leftover].map((s) => lineNo(s as string))).toEqual(Array.from({ length: e.unwritten.length + leftover.length }, (_, i) => e.written + i));
    await new Promise((resolve) => server.close(resolve));
    await run();
  });

  test('a sink destroyed without an error: rejects with WritableClosedError (cause: premature close), not a deadlock', async () => {
    const sink = new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(_chunk, _enc, cb) {
        setTimeout(cb, 1);
      },
    });
    let finalized = false;
    function* numbers(): Generator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finalized = true;
      }
    }
    const src = fromIterable(numbers());
    const p = toWritable(src, sink);
    await sleep(10);
    sink.destroy();
    const e = await within(rejection(p), 2000, 'toWritable after destroy()');
    expect(e).toBeInstanceOf(WritableClosedError);
    expect((e as WritableClosedError).cause).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect((e as WritableClosedError).written).toBeGreaterThan(0);
    src.close(); // the caller lets go of the source
    await run();
    expect(finalized).toBe(true);
  });

  test('a write error rejects with WritableClosedError carrying it as cause', async () => {
    const boom = new Error('disk full');
    const sink = new Writable({
      objectMode: true,
      write(_chunk, _enc, cb) {
        cb(boom);
      },
    });
    const ch = new Channel<string>({ capacity: 3 });
    ch.trySend('a');
    ch.trySend('b');
    const e = await within(rejection(toWritable(ch, sink)), 2000, 'toWritable after a write error');
    expect(e).toBeInstanceOf(WritableClosedError);
    expect((e as WritableClosedError).cause).toBe(boom);
    ch.close();
    await run();
  });
});
