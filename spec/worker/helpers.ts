/** Starting spec workers: TypeScript through tsx's require hook, since Node 20 does not pass tsx's ESM hooks on to a worker. */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export function startWorker(workerData: Record<string, unknown>, transferList: readonly unknown[]): Worker {
  const file = path.join(__dirname, '..', 'fixtures', 'worker-echo.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData, transferList: transferList as never[] });
}

export function exited(w: Worker): Promise<number> {
  return new Promise((resolve) => w.once('exit', resolve));
}
