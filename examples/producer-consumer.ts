/**
 * One producer, two consumers, one rendezvous channel. Each `send` waits until a
 * consumer takes the value; `close()` lets the consumers finish what was sent, and
 * then their `for await` loops end.
 *
 *   npx tsx examples/producer-consumer.ts
 */
import { Channel, run, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const jobs = new Channel<number>({ name: 'jobs' });

  const producer = tasklet(async (count: number) => {
    for (let job = 1; job <= count; job++) await jobs.send(job); // parks until a consumer takes it
    jobs.close(); // consumers still get what was sent, then their loops end
  });

  const consumer = tasklet(async (name: string) => {
    for await (const job of jobs) console.log(`${name} got job ${job}`);
  });

  producer(4);
  consumer('ann');
  consumer('bob');
  await run(); // settles once every tasklet has finished
  console.log('all done');
}

if (/producer-consumer\.ts$/.test(process.argv[1] ?? '')) void main();
