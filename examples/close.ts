/**
 * `close()` loses nothing: values in the buffer and values of senders parked before
 * the close are still received, in order. Only new sends fail, and the error hands
 * the unsent value back.
 *
 *   npx tsx examples/close.ts
 */
import { Channel, ChannelClosedError, schedule, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const log = new Channel<string>({ capacity: 2, name: 'log' });
  await log.send('a');
  await log.send('b');
  const late = tasklet(async () => log.send('c'))(); // parks: the buffer is full
  await schedule();

  log.close();
  console.log(`closing: ${log.closing}, closed: ${log.closed}`);
  try {
    await log.send('d');
  } catch (error) {
    if (error instanceof ChannelClosedError) console.log(`${error.message}; value: ${error.value}`);
  }

  for await (const line of log) console.log(line); // a, b, c: then the loop ends
  await late.join(); // its send went through: 'c' was delivered
  console.log(`closing: ${log.closing}, closed: ${log.closed}`);
  await log.receive().catch((error: Error) => console.log(error.message));

  log.open(); // Stackless's open(): the channel accepts values again
  console.log(`trySend after open: ${log.trySend('e')}`);
}

if (/close\.ts$/.test(process.argv[1] ?? '')) void main();
