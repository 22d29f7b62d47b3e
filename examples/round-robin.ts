/**
 * Tasklets start in creation order, and `schedule()` sends the caller to the tail of
 * the run queue, so three tasklets take turns.
 *
 *   npx tsx examples/round-robin.ts
 */
import { getRunCount, run, schedule, tasklet } from '../lib/index';

export async function main(): Promise<void> {
  const turns: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    tasklet(
      async () => {
        for (let round = 0; round < 3; round++) {
          turns.push(name);
          await schedule(); // to the tail of the run queue: the others go first
        }
      },
      { name },
    )();
  }

  console.log(`runnable: ${getRunCount()}, started: ${turns.length}`); // nothing runs synchronously
  await run();
  console.log(turns.join(' '));
}

if (/round-robin\.ts$/.test(process.argv[1] ?? '')) void main();
