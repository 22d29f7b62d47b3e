/** Starting spec workers: TypeScript through tsx's require hook, since Node 20 does not pass tsx's ESM hooks on to a worker. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

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
