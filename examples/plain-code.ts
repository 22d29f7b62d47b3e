/**
 * Channel operations work in plain async code too: the caller is one more party.
 * Here the top level of the program receives from a tasklet.
 *
 *   npx tsx examples/plain-code.ts
 */
import { Channel, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const squares = new Channel<number>({ name: 'squares' });

  tasklet(async () => {
    for (let i = 1; i <= 3; i++) await squares.send(i * i);
    squares.close();
  })();

  for await (const n of squares) console.log(n); // 1, 4, 9: no run() needed
}

if (/plain-code\.ts$/.test(process.argv[1] ?? '')) void main();
