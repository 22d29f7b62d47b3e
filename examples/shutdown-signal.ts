/**
 * Stopping a pool with one signal: `tasklet(fn, { signal })` kills every tasklet of the
 * factory when the signal aborts, exactly as `kill()` would — `TaskletExit` where each
 * waits, its `finally` blocks run, `join()` resolves `undefined`.
 *
 *   npx tsx examples/shutdown-signal.ts
 */
import { Channel, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const jobs = new Channel<number>({ name: 'jobs' });
  const shutdown = new AbortController();
  const worker = tasklet(
    async (me: string) => {
      try {
        for await (const job of jobs) console.log(`${me} handles job ${job}`);
      } finally {
        console.log(`${me} stops`);
      }
    },
    { name: 'worker', signal: shutdown.signal },
  );
  const pool = ['ann', 'bob'].map((me) => worker(me));
  for (let job = 1; job <= 3; job++) await jobs.send(job);

  shutdown.abort(); // each worker gets TaskletExit where it waits
  const results = await Promise.all(pool.map((t) => t.join()));
  console.log(`joins: ${results.map(String).join(', ')}; jobs balance: ${jobs.balance}`);

  // Made with a signal already aborted: finished at once, its function never called.
  const late = worker('cat');
  console.log(`cat alive: ${late.alive}, join: ${await late.join()}`);
}

if (/shutdown-signal\.ts$/.test(process.argv[1] ?? '')) void main();
