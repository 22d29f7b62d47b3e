/**
 * The other ways to send: an error for the receiver (`sendThrow`, `sendException`)
 * and a whole sequence (`sendSequence`, sync or async iterables).
 *
 *   npx tsx examples/sending.ts
 */
import { Channel, tasklet } from '../lib/index';

async function* countdown(from: number): AsyncGenerator<number> {
  for (let i = from; i > 0; i--) yield i;
}

export async function main(): Promise<void> {
  const results = new Channel<number>({ capacity: 4 });
  await results.send(1);
  await results.sendThrow(new Error('sensor offline')); // queued like a value
  await results.sendException(RangeError, 'reading out of range');
  for (let i = 0; i < 3; i++) {
    try {
      console.log(`value ${await results.receive()}`);
    } catch (error) {
      console.log(`${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  const numbers = new Channel<number>({ name: 'numbers' });
  const printer = tasklet(async () => {
    const seen: number[] = [];
    for await (const n of numbers) seen.push(n);
    console.log(`printer saw ${seen.join(' ')}`);
  })();
  console.log(`sent ${await numbers.sendSequence([10, 20])} from an array`);
  console.log(`sent ${await numbers.sendSequence(countdown(3))} from an async generator`);
  numbers.close();
  await printer.join();
}

if (/sending\.ts$/.test(process.argv[1] ?? '')) void main();
