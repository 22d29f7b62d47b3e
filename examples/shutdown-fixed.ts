/**
 * The same pool of workers as examples/shutdown-broken.ts, stopped the right way: the
 * producer closes the channel after its last send, each worker's `for await` drains
 * what was sent and then ends, and the program joins the workers. Nothing is lost.
 *
 *   npx tsx examples/shutdown-fixed.ts
 */
import { Channel, schedule, tasklet } from '../lib/index';

/** Some work that takes a few turns of the run loop. */
async function work(): Promise<void> {
  for (let step = 0; step < 3; step++) await schedule();
}

export async function main(): Promise<void> {
  const jobs = new Channel<number>({ capacity: 2, name: 'jobs' });
  const finished: number[] = [];

  const producer = tasklet(
    async (count: number) => {
      for (let job = 1; job <= count; job++) await jobs.send(job);
      jobs.close(); // after the last send: no new jobs, and the ones sent stay
    },
    { name: 'producer' },
  );

  const worker = tasklet(
    async (name: string) => {
      for await (const job of jobs) {
        // ends once the channel is closed and drained
        await work();
        finished.push(job);
        console.log(`${name} finished job ${job}`);
      }
    },
    { name: 'worker' },
  );

  producer(6);
  const workers = [worker('ann'), worker('bob')];
  await Promise.all(workers.map((w) => w.join())); // wait for the workers, not the producer
  console.log(`finished ${finished.length} of 6 jobs; ${jobs.length} still in the channel`);
}

if (/shutdown-fixed\.ts$/.test(process.argv[1] ?? '')) void main();
