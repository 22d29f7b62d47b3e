/**
 * Starting spec workers: TypeScript through tsx's require hook, since Node 20 does not pass
 * tsx's ESM hooks on to a worker. And the remote end of a shared channel driven by hand.
 */
import * as path from 'node:path';
import { type MessagePort, Worker } from 'node:worker_threads';
import type { Primitive, Reply, Request } from '../../lib/worker/protocol';

const exits = new WeakMap<Worker, Promise<number>>();

/** Starts spec/fixtures/`fixture`.ts (worker-echo.ts unless told) in a worker; its exit code is watched from the start (see `exited`). */
export function startWorker(workerData: Record<string, unknown>, transferList: readonly unknown[], fixture = 'worker-echo'): Worker {
  const file = path.join(__dirname, '..', 'fixtures', `${fixture}.ts`);
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData, transferList: transferList as never[] });
  exits.set(
    w,
    new Promise((resolve, reject) => {
      w.once('exit', resolve);
      w.once('error', reject); // a fixture that throws fails its test instead of hanging it
    }),
  );
  return w;
}

/** The worker's exit code, however long ago it exited. */
export function exited(w: Worker): Promise<number> {
  return exits.get(w)!;
}

/** A `pool()` module argument and worker options that run a TypeScript file of spec/fixtures/ in a worker. */
export function fixtureModule(name: string): [string, { eval: true }] {
  const file = path.join(__dirname, '..', 'fixtures', name);
  return [`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true }];
}

/** Ports listened to by hand (`remoteEnd`): a listener holds the process, so `closeRemoteEnds()` closes them after each test. */
const opened: MessagePort[] = [];

/** The remote end of a shared channel, driven by hand: posts requests, collects replies. */
export function remoteEnd(port: MessagePort): { post(r: Request | Primitive): void; next(): Promise<Reply>; close(): void } {
  opened.push(port);
  const replies: Reply[] = [];
  const waiting: ((r: Reply) => void)[] = [];
  port.on('message', (r: Reply) => {
    const w = waiting.shift();
    if (w !== undefined) w(r);
    else replies.push(r);
  });
  return {
    post: (r) => port.postMessage(r),
    next: () => (replies.length > 0 ? Promise.resolve(replies.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    close: () => port.close(),
  };
}

/** Closes every port `remoteEnd` listened to (closing one twice does nothing). */
export function closeRemoteEnds(): void {
  for (const port of opened.splice(0)) port.close();
}
