/**
 * Leaving a `for await` early releases what feeds a toolbox channel: the generator's
 * `finally` runs at the `break`, nothing is left parked, and `run()` resolves.
 *
 *   npx tsx examples/leaving-early.ts
 */
import { fromIterable, run, tasklet } from '../lib/index';

/** Reads lines until `stopAt`, then breaks; resolves with what it logged. */
export async function main(stopAt = 'line 2', log: (line: string) => void = console.log): Promise<string[]> {
  const logged: string[] = [];
  const say = (line: string): void => {
    logged.push(line);
    log(line);
  };
  function* lines() {
    try {
      for (let i = 0; ; i++) yield `line ${i}`;
    } finally {
      say('generator closed'); // runs at the break
    }
  }
  const reader = tasklet(async () => {
    for await (const line of fromIterable(lines())) {
      say(line);
      if (line === stopAt) break;
    }
  });
  reader();
  await run(); // resolves: nothing is left parked
  say('done');
  return logged;
}

if (typeof process !== 'undefined' && /leaving-early\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void main();
}
