/**
 * Fan-in with select: several producers, each on its own channel, one consumer that
 * takes whichever value is ready first — Go's classic "boring" generators.
 *
 *   npx tsx examples/fanin.ts
 */
import { Channel, run, select, setRandomSeed, sleep, tasklet } from '../lib/index';

/** A producer: `count` messages, one every `everyMs`, then it closes its channel. */
function producer(name: string, count: number, everyMs: number): Channel<string> {
  const ch = new Channel<string>({ name });
  tasklet(
    async () => {
      for (let i = 0; i < count; i++) {
        await ch.send(`${name} ${i}`);
        await sleep(everyMs);
      }
      ch.close();
    },
    { name },
  )();
  return ch;
}

/** Receives from `joe` and `ann` with select until both are closed; returns what came, in order. */
export async function fanIn(seed = 1): Promise<string[]> {
  setRandomSeed(seed);
  const joe = producer('joe', 3, 5);
  const ann = producer('ann', 3, 7);
  const got: string[] = [];
  const consumer = tasklet(
    async () => {
      let open = 2;
      while (open > 0) {
        const r = await select({ joe: joe.receiveCase(), ann: ann.receiveCase() });
        if (r.done)
          open--; // a closed channel is always ready: count it once...
        else got.push(r.value);
        if (r.done && open === 1) {
          // ...and from then on receive from the other one only
          const rest = r.key === 'joe' ? ann : joe;
          for await (const v of rest) got.push(v);
          open = 0;
        }
      }
    },
    { name: 'consumer' },
  )();
  await run();
  await consumer.join();
  return got;
}

if (typeof process !== 'undefined' && /fanin\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void fanIn().then((got) => console.log(got.join('\n')));
}
