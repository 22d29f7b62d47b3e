/**
 * A thread whose party waits on a channel it shares stays alive for it (lib/worker/hold.ts):
 * an idle worker ends, but not one whose tasklet is parked on its own channel, waiting for
 * what another thread will send.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { attach } from '../../lib/worker/remote';
import type { SharedChannel } from '../../lib/worker/share';

jest.setTimeout(30_000);

test("a worker whose tasklet waits on the worker's own shared channel waits for the other thread's send, then ends by itself", async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'worker-owner-waits.ts');
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true });
  const exit = new Promise<number>((resolve, reject) => {
    w.once('exit', resolve);
    w.once('error', reject);
  });
  const messages: unknown[] = [];
  const handle = await new Promise<SharedChannel<number>>((resolve) => w.once('message', resolve));
  w.on('message', (m: unknown) => messages.push(m));
  const inbox = attach<number>(handle);
  await new Promise((resolve) => setTimeout(resolve, 300)); // long enough for an idle worker to have ended
  await inbox.send(42);
  expect(await exit).toBe(0);
  expect(messages).toEqual([{ got: 42 }]);
});
