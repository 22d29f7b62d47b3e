/**
 * Who runs first after a hand-off. A receiver R and a sender S meet on a rendezvous
 * channel; a third tasklet O is already runnable and loops once through `schedule()`.
 * Each line is the order of events for one `preference` and one arrival order.
 *
 *   npx tsx examples/preference.ts
 */
import { Channel, run, schedule, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  for (const preference of [-1, 0, 1] as const) {
    for (const first of ['receiver', 'sender'] as const) {
      const ch = new Channel<string>({ preference });
      const events: string[] = [];
      const receiver = tasklet(async () => {
        events.push('R receives');
        events.push(`R got ${await ch.receive()}`);
      });
      const sender = tasklet(async () => {
        events.push('S sends');
        await ch.send('x');
        events.push('S sent');
      });
      const other = tasklet(async () => {
        events.push('O');
        await schedule();
        events.push('O');
      });

      if (first === 'receiver') {
        receiver();
        sender();
      } else {
        sender();
        receiver();
      }
      other();
      await run();
      console.log(`preference ${String(preference).padStart(2)}, ${first} parks first: ${events.join(', ')}`);
    }
  }
}

if (/preference\.ts$/.test(process.argv[1] ?? '')) void main();
