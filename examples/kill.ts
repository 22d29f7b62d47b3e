/**
 * Ending tasklets from outside: `kill()` unwinds a parked tasklet through its
 * `finally` blocks, `throw()` fails it with an error of your choosing, `remove()` and
 * `insert()` pause a runnable one and put it back.
 *
 *   npx tsx examples/kill.ts
 */
import { Channel, run, schedule, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const inbox = new Channel<string>({ name: 'inbox' });

  // kill(): TaskletExit is thrown where the tasklet waits; its finally blocks run.
  const worker = tasklet(
    async () => {
      try {
        for (;;) console.log(`worker got ${await inbox.receive()}`);
      } finally {
        console.log('worker unwinds');
      }
    },
    { name: 'worker' },
  )();
  await inbox.send('a');
  await worker.kill(); // resolves once the worker has unwound
  console.log(`alive: ${worker.alive}, balance: ${inbox.balance}, join: ${await worker.join()}`);

  // throw(): like kill(), but the error fails the tasklet. Join first, so the error is
  // yours to handle instead of escaping.
  const failing = tasklet(
    async () => {
      await inbox.receive();
    },
    { name: 'failing' },
  )();
  const outcome = failing.join().catch((error: Error) => `join rejected: ${error.message}`);
  await schedule(); // let it park
  await failing.throw(new Error('stop'));
  console.log(await outcome);

  // A tasklet that already received its value when it is killed keeps the value;
  // TaskletExit reaches it at its next library operation.
  const handed = tasklet(
    async () => {
      console.log(`handed got ${await inbox.receive()}`);
      await schedule(); // TaskletExit is thrown here
      console.log('never printed');
    },
    { name: 'handed' },
  )();
  await schedule(); // it parks
  inbox.trySend('b'); // now it is runnable, with 'b' in hand
  await handed.kill();

  // remove() / insert(): pause a runnable tasklet and put it back at the tail.
  const later = tasklet(async () => console.log('later runs'), { name: 'later' })();
  later.remove();
  console.log(`paused: ${later.paused}, scheduled: ${later.scheduled}`);
  await run(); // resolves at once: a paused tasklet does not keep run() waiting
  later.insert();
  await run();

  // Only a runnable tasklet can be removed.
  const parked = tasklet(async () => inbox.receive(), { name: 'parked' })();
  await schedule();
  try {
    parked.remove();
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  }
  await parked.kill();
}

if (/kill\.ts$/.test(process.argv[1] ?? '')) void main();
