/**
 * Handing out one end of a channel (`SendChannel`, `ReceiveChannel`), and scoped
 * resources: `using` closes a channel and `await using` kills a tasklet when the block
 * ends, however it ends.
 *
 *   npx tsx examples/using.ts
 */
import { Channel, type ReceiveChannel, type SendChannel, schedule, tasklet } from '../lib/index';

/** Callers get only the receiving end: they can neither send nor close. */
function countTo(count: number): ReceiveChannel<number> {
  const ch = new Channel<number>({ name: 'numbers' });
  const producer = tasklet(async (out: SendChannel<number>) => {
    for (let i = 1; i <= count; i++) await out.send(i);
    out.close();
  });
  producer(ch);
  return ch;
}

export async function main(): Promise<void> {
  let sum = 0;
  for await (const n of countTo(4)) sum += n;
  console.log(`sum ${sum}`);

  let log: Channel<string>;
  {
    using ch = new Channel<string>({ capacity: 2, name: 'log' });
    log = ch;
    await ch.send('kept');
  } // ch.close() here
  console.log(`closing: ${log.closing}, still received: ${await log.receive()}`);

  {
    await using worker = tasklet(async () => {
      try {
        for (;;) await schedule();
      } finally {
        console.log('worker unwinds');
      }
    })();
    await schedule();
    console.log(`worker alive: ${worker.alive}`);
  } // worker.kill() here, and awaited
  console.log('after the block');
}

if (/using\.ts$/.test(process.argv[1] ?? '')) void main();
