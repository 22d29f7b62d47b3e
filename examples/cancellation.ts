/**
 * A parked operation cancelled by an `AbortSignal`, or by killing its tasklet, leaves
 * the channel exactly as if it had never been tried: no value taken, none lost,
 * `balance` restored.
 *
 *   npx tsx examples/cancellation.ts
 */
import { Channel, schedule, tasklet, timeoutSignal } from '../lib/index';

export async function main(): Promise<void> {
  const replies = new Channel<string>({ name: 'replies' });

  // A receive with a timeout.
  try {
    await replies.receive({ signal: timeoutSignal(10) }); // a deadline: TimeoutError after 10 ms
  } catch (error) {
    console.log(`${(error as Error).message}; balance ${replies.balance}`);
  }

  // An aborted send: its value is never delivered.
  const controller = new AbortController();
  const sending = replies.send('stale', { signal: controller.signal });
  console.log(`sender parked, balance ${replies.balance}`);
  controller.abort(new Error('no longer needed'));
  await sending.catch((error: Error) => console.log(`send rejected: ${error.message}; balance ${replies.balance}`));
  console.log(`tryReceive: ${JSON.stringify(replies.tryReceive())}`);

  // A signal already aborted rejects at once, without effect.
  await replies.send('x', { signal: AbortSignal.abort() }).catch((error: Error) => console.log(`${error.name} at once`));

  // Killing a parked tasklet unparks it the same way.
  const waiter = tasklet(async () => replies.receive(), { name: 'waiter' })();
  await schedule();
  console.log(`waiter parked, balance ${replies.balance}`);
  await waiter.kill();
  console.log(`waiter killed, balance ${replies.balance}`);
}

if (/cancellation\.ts$/.test(process.argv[1] ?? '')) void main();
