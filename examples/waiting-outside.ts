/**
 * A tasklet that awaits something the library does not own (here a timer standing in
 * for I/O) is *waiting outside*: `run()` waits for it instead of reporting a deadlock,
 * even though the printer is parked on a channel meanwhile.
 *
 *   npx tsx examples/waiting-outside.ts
 */
import { Channel, run, tasklet } from '../lib/index';

/** Stands in for I/O: a promise the library knows nothing about. */
function fetchText(text: string, ms: number): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(text), ms));
}

export async function main(): Promise<void> {
  const pages = new Channel<string>({ name: 'pages' });

  tasklet(
    async () => {
      const page = await fetchText('<h1>hello</h1>', 20); // waiting outside, not deadlocked
      await pages.send(page);
    },
    { name: 'fetcher' },
  )();

  tasklet(
    async () => {
      console.log(`printer got ${await pages.receive()}`); // parked until the page comes
    },
    { name: 'printer' },
  )();

  await run(); // waits for the timer, then for both tasklets to finish
  console.log('run() resolved');
}

if (/waiting-outside\.ts$/.test(process.argv[1] ?? '')) void main();
