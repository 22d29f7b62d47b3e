/**
 * Two tasklets that hand a value back and forth forever do not starve the host: the
 * run loop yields to the event loop after a bounded batch, so a timer still fires
 * and can stop them.
 *
 *   npx tsx examples/host-not-starved.ts
 */
import { Channel, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const ball = new Channel<number>({ name: 'ball' });
  let hits = 0;
  let stop = false;

  const ping = tasklet(
    async () => {
      while (!stop) await ball.send(++hits);
      ball.close();
    },
    { name: 'ping' },
  )();
  const pong = tasklet(
    async () => {
      for await (const _ of ball); // receives until the channel is closed
    },
    { name: 'pong' },
  )();

  await new Promise((resolve) => setTimeout(resolve, 20)); // the host's timer still fires
  stop = true;
  await Promise.all([ping.join(), pong.join()]);
  console.log(`stopped by a timer after more than 1,000 hand-offs: ${hits > 1000}`);
}

if (/host-not-starved\.ts$/.test(process.argv[1] ?? '')) void main();
