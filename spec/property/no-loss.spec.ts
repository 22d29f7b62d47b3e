/**
 * Property: nothing sent is lost and nothing is delivered twice, whatever happens to
 * the parties. Producer and consumer tasklets share one channel while plain code, at
 * random moments, kills parked tasklets, aborts parked sends, trySends, tryReceives,
 * lets the loop run, and finally closes the channel. Each consumer takes only a few
 * values, so producers park and get aborted or killed. Afterwards:
 *  - the values received are exactly the values whose send completed (or whose
 *    trySend returned true), each received once;
 *  - no value of a send that was aborted or whose tasklet was killed while parked
 *    was received;
 *  - each consumer got each producer's values in the order they were sent.
 */
import fc from 'fast-check';
import { Channel, ChannelClosedError, run, Tasklet, tasklet } from '../../lib/index';
import { macrotask } from '../helpers';

type Action = { t: 'turn' | 'trySend' | 'tryReceive' } | { t: 'kill' | 'abort'; pick: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ t: 'turn' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('kill' as const, 'abort' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('trySend' as const, 'tryReceive' as const) }) },
);

async function check(capacity: number, producers: number, quotas: number[], perProducer: number, actions: Action[]): Promise<void> {
  const consumers = quotas.length;
  const ch = new Channel<string>({ capacity, name: 'shared' });
  const completed = new Set<string>(); // sends that completed: the value must be received
  const withdrawn = new Set<string>(); // sends aborted or killed while parked: must not be
  const received: string[] = [];
  const byConsumer: string[][] = [];
  const aborters = new Map<string, AbortController>(); // parked-or-in-flight sends, by value

  const ps: Tasklet<unknown>[] = [];
  for (let p = 0; p < producers; p++) {
    ps.push(
      tasklet(
        async () => {
          for (let k = 0; k < perProducer; k++) {
            const v = `p${p}:${k}`;
            const ac = new AbortController();
            aborters.set(v, ac);
            try {
              await ch.send(v, { signal: ac.signal });
              completed.add(v);
            } catch (e) {
              if (e instanceof ChannelClosedError) return;
              withdrawn.add(v); // aborted, or killed (then rethrown below)
              if (e !== 'aborted') throw e;
            } finally {
              aborters.delete(v);
            }
          }
        },
        { name: `producer ${p}` },
      )(),
    );
  }
  const cs: Tasklet<unknown>[] = [];
  for (let c = 0; c < consumers; c++) {
    const mine: string[] = (byConsumer[c] = []);
    cs.push(
      tasklet(
        async () => {
          // Each consumer takes a few values and leaves, so that producers park.
          if (quotas[c] === 0) return;
          for await (const v of ch) {
            mine.push(v);
            received.push(v);
            if (mine.length === quotas[c]) break;
          }
        },
        { name: `consumer ${c}` },
      )(),
    );
  }
  const all = [...ps, ...cs];
  const joined = all.map((t) => t.join().catch(() => undefined));
  let extra = 0;
  for (const a of actions) {
    switch (a.t) {
      case 'turn':
        await macrotask();
        break;
      case 'kill': {
        const blocked = all.filter((t) => t.blocked);
        if (blocked.length > 0) await blocked[a.pick % blocked.length].kill();
        break;
      }
      case 'abort': {
        const live = [...aborters.values()];
        if (live.length > 0) live[a.pick % live.length].abort('aborted');
        break;
      }
      case 'trySend': {
        const v = `plain:${extra++}`;
        if (ch.trySend(v)) completed.add(v);
        break;
      }
      case 'tryReceive': {
        const r = ch.tryReceive();
        if (r.ok) received.push(r.value);
        break;
      }
    }
  }
  // Let the producers finish what they can, then close and drain what is left.
  ch.close();
  const drainer = tasklet(async () => {
    for await (const v of ch) received.push(v);
  })();
  await drainer.join();
  for (const t of all) await t.kill();
  await Promise.all(joined);
  await run();

  expect(new Set(received).size).toBe(received.length); // nothing twice
  expect([...received].sort()).toEqual([...completed].sort()); // exactly the completed sends
  for (const v of withdrawn) expect(received).not.toContain(v);
  for (const mine of byConsumer) {
    for (let p = 0; p < producers; p++) {
      const ks = mine.filter((v) => v.startsWith(`p${p}:`)).map((v) => Number(v.split(':')[1]));
      expect(ks).toEqual([...ks].sort((x, y) => x - y));
    }
  }
}

describe.each([0, 1, 3, Infinity])('capacity %p', (capacity) => {
  test('nothing sent is lost, nothing is received twice, per-producer order holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(actionArb, { maxLength: 25 }),
        (producers, quotas, perProducer, actions) => check(capacity, producers, quotas, perProducer, actions),
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 60) },
    );
  });
});
