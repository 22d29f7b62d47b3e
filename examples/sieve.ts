/**
 * The prime sieve of daisy-chained tasklets (from Go's tour, after Doug McIlroy): a
 * generator sends 2, 3, 4, …; each prime found adds a filter tasklet to the chain
 * that drops the multiples of that prime. Every link is a rendezvous channel.
 *
 *   npx tsx examples/sieve.ts 100
 */
import { Channel, run, tasklet } from '../lib/index';

/** The first `n` primes. Every tasklet is killed at the end, so `run()` settles. */
export async function primes(n: number): Promise<number[]> {
  const all: { kill(): Promise<void> }[] = [];
  const generate = tasklet(
    async (out: Channel<number>) => {
      for (let i = 2; ; i++) await out.send(i);
    },
    { name: 'generate' },
  );
  const filter = tasklet(async (input: Channel<number>, out: Channel<number>, prime: number) => {
    for (;;) {
      const v = await input.receive();
      if (v % prime !== 0) await out.send(v);
    }
  });
  const found: number[] = [];
  const main = tasklet(
    async () => {
      let ch = new Channel<number>({ name: 'numbers' });
      all.push(generate(ch));
      for (let i = 0; i < n; i++) {
        const prime = await ch.receive();
        found.push(prime);
        const next = new Channel<number>({ name: `not multiples of ${prime}` });
        all.push(filter(ch, next, prime));
        ch = next;
      }
      for (const t of all) await t.kill();
    },
    { name: 'sieve' },
  )();
  await run();
  await main.join();
  return found;
}

if (typeof process !== 'undefined' && /sieve\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void primes(Number(process.argv[2] ?? 100)).then((p) => console.log(p.join(' ')));
}
