/**
 * A server that forgets to reply: `run()` rejects with a `DeadlockError` that names
 * every parked tasklet and the channel it waits on. The tasklets stay parked, so the
 * program can still feed or kill them and call `run()` again.
 *
 *   npx tsx examples/deadlock.ts
 */
import { Channel, DeadlockError, run, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const requests = new Channel<string>({ name: 'requests' });
  const replies = new Channel<string>({ name: 'replies' });

  const client = tasklet(
    async () => {
      await requests.send('ping');
      console.log(`client got ${await replies.receive()}`);
    },
    { name: 'client' },
  )();

  const server = tasklet(
    async () => {
      for (;;) console.log(`server got ${await requests.receive()}`); // ...and never replies
    },
    { name: 'server' },
  )();

  try {
    await run();
  } catch (error) {
    if (!(error instanceof DeadlockError)) throw error;
    console.log(error.message);
    console.log(`parked: ${error.tasklets.map((t) => t.name).join(', ')}`);
  }

  await replies.send('pong'); // feed the client...
  await server.kill(); // ...and end the server
  await run();
  console.log(`client alive: ${client.alive}, server alive: ${server.alive}`);
}

if (/deadlock\.ts$/.test(process.argv[1] ?? '')) void main();
