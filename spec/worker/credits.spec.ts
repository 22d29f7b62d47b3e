/**
 * Credits (lib/worker/protocol.ts): the reply to a remote send on a buffered channel
 * reserves buffer slots for that thread, so that its next sends complete without a round
 * trip. The channel's capacity stays one bound across threads, unused credits go back, and
 * a thread that ends with credits takes no room with it.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Channel, ChannelClosedError, run, tasklet } from '../../lib/index';
import { attach } from '../../lib/worker/remote';
import { share } from '../../lib/worker/share';
import { closeRemoteEnds, remoteEnd } from './helpers';

jest.setTimeout(30_000);

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(closeRemoteEnds);

/** Starts spec/fixtures/worker-producer.ts; resolves with its report. */
function producer(
  jobs: Channel<number>,
  workerData: { count: number; exitAfter?: number },
): { worker: Worker; report: Promise<{ sent: number; error?: string }>; exit: Promise<number> } {
  const handle = share(jobs);
  const file = path.join(__dirname, '..', 'fixtures', 'worker-producer.ts');
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: { ...workerData, jobs: handle }, transferList: [handle.port] });
  const exit = new Promise<number>((resolve, reject) => {
    worker.once('exit', resolve);
    worker.once('error', reject);
  });
  return { worker, report: new Promise((resolve) => worker.once('message', resolve)), exit };
}

describe('credits, by hand', () => {
  test("a send's reply on a buffered channel grants the free room; puts fill the slots; unused credits go back", async () => {
    const ch = new Channel<number>({ capacity: 4, name: 'jobs' });
    const remote = remoteEnd(share(ch).port);
    remote.post({ t: 's', id: 1, v: 0 });
    expect(await remote.next()).toEqual({ t: 'ok', id: 1, c: 3 });
    expect(ch.trySend(100)).toBe(false); // 1 buffered + 3 reserved: full
    remote.post({ t: 'p', v: { n: 1 } }); // an object, in its envelope
    remote.post(2); // a primitive, as it is
    remote.post({ t: 'u', n: 1 });
    await settle();
    expect(ch.length).toBe(3);
    expect(ch.trySend(100)).toBe(true); // the slot given back is free again
    expect(ch.trySend(101)).toBe(false);
    expect([0, 1, 2, 3].map(() => ch.tryReceive().value)).toEqual([0, { n: 1 }, 2, 100]);
  });

  test('no credits on a rendezvous, nor while a sender is parked before them', async () => {
    const rendezvous = new Channel<number>();
    const r = remoteEnd(share(rendezvous).port);
    r.post({ t: 's', id: 1, v: 1 });
    expect(await rendezvous.receive()).toBe(1);
    expect(await r.next()).toEqual({ t: 'ok', id: 1 });

    const full = new Channel<number>({ capacity: 1 });
    const f = remoteEnd(share(full).port);
    f.post({ t: 's', id: 1, v: 1 });
    expect(await f.next()).toEqual({ t: 'ok', id: 1 }); // it took the last slot
  });

  test('the port closing gives back the credits still out: a sender parked for lack of room gets in', async () => {
    const ch = new Channel<number>({ capacity: 2 });
    const handle = share(ch);
    const remote = remoteEnd(handle.port);
    remote.post({ t: 's', id: 1, v: 0 });
    expect(await remote.next()).toEqual({ t: 'ok', id: 1, c: 1 });
    const local = ch.send(1);
    expect(ch.balance).toBe(1); // parked: the free slot is reserved
    handle.port.close();
    await local;
    expect([ch.tryReceive().value, ch.tryReceive().value]).toEqual([0, 1]);
  });
});

describe('credits through attach()', () => {
  test('after a round trip, sends complete without one: trySend succeeds exactly while credits last; at the end of the turn they go back', async () => {
    const ch = new Channel<unknown>({ capacity: 4 });
    const end = attach<unknown>(share(ch));
    await end.send(1); // a round trip; the reply grants the 3 free slots
    expect(end.trySend(2)).toBe(true);
    expect(end.trySend({ three: 3 })).toBe(true);
    expect(end.trySend(4)).toBe(true);
    expect(end.trySend(5)).toBe(false); // no credit: not known to have room
    await settle(); // the puts arrived
    expect(ch.length).toBe(4);
    expect(ch.trySend(5)).toBe(false);
    expect([1, 2, 3, 4].map(() => ch.tryReceive().value)).toEqual([1, 2, { three: 3 }, 4]);

    await end.send(6); // 3 free: a grant of 3
    await turn();
    await settle(); // unused, they went back at the end of the turn
    expect([ch.trySend(7), ch.trySend(8), ch.trySend(9), ch.trySend(10)]).toEqual([true, true, true, false]);
  });

  test('a value that cannot be copied, sent on a credit: a TypeError, and the credit is kept', async () => {
    const ch = new Channel<unknown>({ capacity: 4 });
    const end = attach<unknown>(share(ch));
    await end.send(1);
    await expect(end.send(() => 1)).rejects.toThrow(/^send\(\): a value of type function cannot be copied/);
    expect(() => end.trySend(Symbol('s'))).toThrow(TypeError);
    expect([end.trySend(2), end.trySend(3), end.trySend(4), end.trySend(5)]).toEqual([true, true, true, false]);
  });
});

test('values on their way to a port on credits hold the process until they arrive: run() settles, nothing is lost, the process then exits by itself', async () => {
  const { runFixture } = await import('../helpers');
  await expect(runFixture<{ got: number; inOrder: boolean }>('worker-credits-in-flight')).resolves.toEqual({ got: 50, inOrder: true });
});

describe('credits across threads', () => {
  test('a worker streams 2,000 values into a buffer of 8: in order, and the buffer never holds more than 8', async () => {
    const jobs = new Channel<number>({ capacity: 8, name: 'jobs' });
    const p = producer(jobs, { count: 2000 });
    let most = 0;
    const got: number[] = [];
    tasklet(
      async () => {
        while (got.length < 2000) {
          most = Math.max(most, jobs.length);
          got.push(await jobs.receive());
          if (got.length % 50 === 0) await turn(); // slower than the producer now and then: the buffer fills
        }
      },
      { name: 'consumer' },
    )();
    await run();
    expect(got).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(most).toBe(8);
    expect(await p.report).toEqual({ sent: 2000 });
    expect(await p.exit).toBe(0);
  });

  test('a worker that exits holding credits takes no room with it: the whole capacity is free again', async () => {
    const jobs = new Channel<number>({ capacity: 8, name: 'jobs' });
    const p = producer(jobs, { count: 100, exitAfter: 3 });
    expect(await p.exit).toBe(0);
    await settle();
    expect([jobs.tryReceive().value, jobs.tryReceive().value, jobs.tryReceive().value]).toEqual([0, 1, 2]);
    let room = 0;
    while (jobs.trySend(room)) room++;
    expect(room).toBe(8);
  });

  test('closed by its owner mid-stream: every send the worker saw complete is received, then end-of-channel; the rest fail as closed', async () => {
    const jobs = new Channel<number>({ capacity: 16, name: 'jobs' });
    const p = producer(jobs, { count: 1_000_000 });
    const got: number[] = [];
    let ended: unknown;
    tasklet(
      async () => {
        try {
          for (;;) {
            got.push(await jobs.receive());
            if (got.length === 500) jobs.close();
          }
        } catch (e) {
          ended = e;
        }
      },
      { name: 'consumer' },
    )();
    await run();
    const report = await p.report;
    expect(report.error).toBe('ChannelClosedError');
    expect(got).toEqual(Array.from({ length: report.sent }, (_, i) => i));
    expect(ended).toBeInstanceOf(ChannelClosedError);
    expect(jobs.closed).toBe(true);
  });
});
