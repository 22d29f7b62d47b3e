/**
 * The wrong way to stop a pool of workers: the producer has sent its last job, so the
 * program kills the workers. Killing ends each worker where it waits, and every job it
 * held or had not yet taken is never done. Compare examples/shutdown-fixed.ts.
 *
 *   npx tsx examples/shutdown-broken.ts
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
    },
    { name: 'producer' },
  );

  const worker = tasklet(
    async (name: string) => {
      let holding: number | undefined;
      try {
        for (;;) {
          holding = await jobs.receive();
          await work();
          finished.push(holding);
          console.log(`${name} finished job ${holding}`);
          holding = undefined;
        }
      } finally {
        if (holding !== undefined) console.log(`${name} killed holding job ${holding}`);
      }
    },
    { name: 'worker' },
  );

  const sending = producer(6);
  const workers = [worker('ann'), worker('bob')];
  await sending.join(); // the producer has sent every job...
  for (const w of workers) await w.kill(); // ...so stop the workers. Wrong: some jobs are not done yet
  console.log(`finished ${finished.length} of 6 jobs; ${jobs.length} still in the channel`);
}

if (/shutdown-broken\.ts$/.test(process.argv[1] ?? '')) void main();
