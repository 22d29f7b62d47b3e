/**
 * Broadcast: one source of headlines, several subscribers each with its own channel.
 * A fast reader and a slow one with a small buffer: the slow one's buffer is how far
 * it may fall behind; once it is full it holds the source back, and everyone waits.
 *
 *   npx tsx examples/broadcast.ts
 */
import { Broadcast, Channel, run, sleep, tasklet } from '../lib/index';

/** Broadcasts `headlines`; returns what each subscriber read, and when the source finished relative to the readers. */
export async function news(headlines: readonly string[]): Promise<{ fast: string[]; slow: string[]; log: string[] }> {
  const source = new Channel<string>({ name: 'headlines' });
  const wire = new Broadcast(source);
  const fastCh = wire.tap({ name: 'fast' });
  const slowCh = wire.tap({ name: 'slow', capacity: 2 });
  const log: string[] = [];
  const reader = (name: string, ch: Channel<string>, delayMs: number) =>
    tasklet(
      async () => {
        const seen: string[] = [];
        for await (const h of ch) {
          seen.push(h);
          log.push(`${name} read ${h}`);
          if (delayMs > 0) await sleep(delayMs);
        }
        return seen;
      },
      { name },
    )();
  const fast = reader('fast', fastCh, 0);
  const slow = reader('slow', slowCh, 5);
  tasklet(
    async () => {
      for (const h of headlines) {
        await source.send(h);
        log.push(`sent ${h}`);
      }
      source.close();
    },
    { name: 'newsroom' },
  )();
  await run();
  return { fast: await fast.join(), slow: await slow.join(), log };
}

if (typeof process !== 'undefined' && /broadcast\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void news(['a', 'b', 'c', 'd', 'e']).then((r) => console.log(r.log.join('\n')));
}
