/**
 * What can go wrong, and where it surfaces: an aborted operation, a killed tasklet
 * (`TaskletExit`), `throw()`, `ChannelClosedError` and its `.value`, `DeadlockError`,
 * and an error that escapes a tasklet — caught by `run()` or by `join()`.
 *
 *   npx tsx examples/errors.ts
 */
import { Channel, ChannelClosedError, DeadlockError, run, schedule, tasklet, TaskletExit } from '../lib/index';

export async function main(): Promise<void> {
  const inbox = new Channel<string>({ name: 'inbox' });

  // An AbortSignal cancels a parked operation and leaves no trace on the channel.
  const controller = new AbortController();
  const receiving = inbox.receive({ signal: controller.signal });
  console.log(`parked: balance ${inbox.balance}`);
  controller.abort(new Error('gave up'));
  await receiving.catch((error: Error) => console.log(`aborted: ${error.message}; balance ${inbox.balance}`));

  // kill() throws TaskletExit where the tasklet waits. Clean up, then let it go on.
  const listener = tasklet(
    async () => {
      try {
        await inbox.receive();
      } catch (error) {
        if (error instanceof TaskletExit) console.log(`listener: ${error.name}, cleaning up`);
        throw error; // escaping, TaskletExit ends the tasklet quietly
      }
    },
    { name: 'listener' },
  )();
  await schedule(); // let it park
  await listener.kill();
  console.log(`listener join: ${await listener.join()}`);

  // throw(error) is kill() with an error of your choosing: it fails the tasklet.
  const failing = tasklet(async () => inbox.receive(), { name: 'failing' })();
  const failed = failing.join().catch((error: Error) => `failing join rejected: ${error.message}`);
  await schedule();
  await failing.throw(new Error('stop now'));
  console.log(await failed);

  // ChannelClosedError: a send after close() hands back the value it could not send;
  // a receive on a closed and drained channel has no value.
  inbox.close();
  try {
    await inbox.send('late');
  } catch (error) {
    if (error instanceof ChannelClosedError) console.log(`send: hasValue ${error.hasValue}, value ${error.value}`);
  }
  await inbox.receive().catch((error: ChannelClosedError) => console.log(`receive: hasValue ${error.hasValue}`));

  // DeadlockError: run() finds tasklets parked with nothing left to wake them.
  const orders = new Channel<string>({ name: 'orders' });
  const cook = tasklet(async () => orders.receive(), { name: 'cook' })();
  await run().catch((error: unknown) => {
    if (!(error instanceof DeadlockError)) throw error;
    console.log(`deadlock: ${error.tasklets.map((t) => t.name).join(', ')}`);
  });
  await cook.kill(); // parked tasklets stay parked until fed or killed

  // An error that escapes a tasklet nobody joined rejects run(); the others go on.
  const results = new Channel<number>({ capacity: 1, name: 'results' });
  tasklet(
    async () => {
      throw new Error('parser crashed');
    },
    { name: 'parser' },
  )();
  const adder = tasklet(async () => results.send(1 + 1), { name: 'adder' })();
  await run().catch((error: Error) => console.log(`run() rejected: ${error.message}`));
  await adder.join();
  console.log(`adder still delivered ${await results.receive()}`);

  // Joined before it fails, the error is the joiner's: run() resolves.
  const checker = tasklet(
    async () => {
      throw new Error('bad checksum');
    },
    { name: 'checker' },
  )();
  const checked = checker.join().catch((error: Error) => `checker join rejected: ${error.message}`);
  await run();
  console.log(await checked);
}

if (/errors\.ts$/.test(process.argv[1] ?? '')) void main();
