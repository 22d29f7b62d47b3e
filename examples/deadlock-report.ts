/**
 * A deadlock with the whole report: with `setDebug({ channels: true, stacks: true })`
 * the `DeadlockError` says, for each parked tasklet, what it waits on, who else used
 * that channel, and where it parked — and it finds the wait-for cycle. The customer
 * waits for a second invoice without placing a second order; the shop waits for that
 * order.
 *
 *   npx tsx examples/deadlock-report.ts
 */
import { Channel, DeadlockError, run, setDebug, tasklet } from '../lib/index';

/** Stack frames as `at fn (examples/x.ts)`: the same on every machine. */
const portable = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || /examples[\\/]/.test(line))
    .map((line) => line.replace(/\((?:file:\/\/)?[^()]*[\\/](examples[\\/][\w-]+\.ts):\d+:\d+\)/, '($1)'))
    .join('\n');

export async function main(): Promise<void> {
  setDebug({ channels: true, stacks: true });
  const orders = new Channel<string>({ name: 'orders' });
  const invoices = new Channel<string>({ name: 'invoices' });

  const shop = tasklet(async function shop() {
    for (;;) {
      const order = await orders.receive();
      await invoices.send(`invoice for ${order}`);
    }
  })();

  const customer = tasklet(async function customer() {
    await orders.send('tea');
    console.log(await invoices.receive());
    console.log(await invoices.receive()); // a second invoice, without a second order
  })();

  try {
    await run();
  } catch (error) {
    if (!(error instanceof DeadlockError)) throw error;
    console.log(portable(error.message));
    const { parked, edges, cycles } = error.report!; // the same, as data
    const name = (id: number | null): string => parked.find((p) => p.party.id === id)!.party.name;
    for (const e of edges) console.log(`${name(e.from)} waits for ${name(e.to)} over ${e.via}`);
    console.log(`cycle: ${cycles[0].map((p) => p.name).join(' -> ')}`);
  } finally {
    setDebug({ channels: false, stacks: false });
    await shop.kill();
    await customer.kill();
  }
}

if (/deadlock-report\.ts$/.test(process.argv[1] ?? '')) void main();
