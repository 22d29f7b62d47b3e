/**
 * Property: the channels' guarantees do not depend on the loop being FIFO. fast-check
 * chooses, at every settlement, which runnable party the loop resumes next (a pick
 * policy: `setPickPolicy`, FIFO being the rule), over random programs: producers send
 * tagged values on two channels of random capacity, by `send` or by a select over both;
 * consumers take values by `for await` or by a select over both; a chaos tasklet kills
 * producers or consumers, or aborts sends in flight, at random moments; plain code
 * closes the channels once the producers are done. At every pick the loop's structural invariants are checked
 * (`assertLoopInvariants()`). At the end:
 *  - `run()` settles: resolved, never a `DeadlockError`, never a hang;
 *  - every value whose send completed is received exactly once, and no value whose
 *    send was withdrawn (aborted, or its producer killed, while parked) is received;
 *  - each consumer got each producer's values on each channel in the order they were
 *    sent (across two channels there is no order: a select takes either ready case).
 * A failure shrinks to a short program and a short list of picks.
 */
import fc from 'fast-check';
import { Channel, ChannelClosedError, ReceiveCase, run, schedule, select, Tasklet, tasklet } from '../../lib/index';
import { assertLoopInvariants } from '../../lib/inspect/invariants';
import { setPickPolicy } from '../../lib/core/loop';

/** `STRESS=1`: many more programs, and the time they need. */
const STRESS = !!process.env.STRESS && process.env.STRESS !== '0';

const CAPACITIES = [0, 1, 2, 5, Infinity];

interface Program {
  capacities: [number, number];
  /** Per producer, per value: the channel index (0, 1) or 2 for a select over both. */
  producers: number[][];
  /** Per consumer: 0 or 1 for `for await` on that channel, 2 for a select over both. */
  consumers: number[];
  /**
   * The chaos tasklet's program: `schedule()` that many times, then kill the party at
   * `pick`, or abort the send in flight at `pick`.
   */
  kills: { after: number; pick: number; abort: boolean }[];
  /** Indices among the runnable parties, used in turn (modulo) at each settlement. */
  picks: number[];
}

const programArb: fc.Arbitrary<Program> = fc.record({
  capacities: fc.tuple(fc.constantFrom(...CAPACITIES), fc.constantFrom(...CAPACITIES)),
  producers: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  consumers: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 0, maxLength: 2 }),
  kills: fc.array(fc.record({ after: fc.nat(6), pick: fc.nat(10), abort: fc.boolean() }), { maxLength: 3 }),
  picks: fc.array(fc.nat(7), { minLength: 1, maxLength: 40 }),
});

async function check(p: Program): Promise<void> {
  const chs = p.capacities.map((capacity, i) => new Channel<string>({ capacity, name: `c${i}` }));
  const completed = new Set<string>();
  const withdrawn = new Set<string>();
  /** Sends not yet settled, by value, with what aborts them. */
  const inFlight = new Map<string, AbortController>();
  /** The channel each completed send went on (a select's send picks one). */
  const sentOn = new Map<string, number>();
  const received: string[] = [];
  const byConsumer: string[][] = [];

  const producers: Tasklet<unknown>[] = p.producers.map((plan, i) =>
    tasklet(
      async () => {
        for (let k = 0; k < plan.length; k++) {
          const v = `p${i}:${k}`;
          const ac = new AbortController();
          inFlight.set(v, ac);
          try {
            if (plan[k] === 2) {
              const r = await select({ a: chs[0].sendCase(v), b: chs[1].sendCase(v) }, { signal: ac.signal });
              sentOn.set(v, r.key === 'a' ? 0 : 1);
            } else {
              await chs[plan[k]].send(v, { signal: ac.signal });
              sentOn.set(v, plan[k]);
            }
            completed.add(v);
          } catch (e) {
            withdrawn.add(v); // aborted or killed while parked: the value was never taken
            if (e !== 'aborted') throw e;
          } finally {
            inFlight.delete(v);
          }
        }
      },
      { name: `producer ${i}` },
    )(),
  );

  // One consumer that selects over both channels is never killed, so every channel is
  // always drained; the others may be.
  const consume = async (kind: number, mine: string[]): Promise<void> => {
    const take = (v: string): void => {
      mine.push(v);
      received.push(v);
    };
    if (kind < 2) {
      for await (const v of chs[kind]) take(v);
      return;
    }
    const open = [true, true];
    while (open[0] || open[1]) {
      const cases: Record<string, ReceiveCase<string>> = {};
      if (open[0]) cases.a = chs[0].receiveCase();
      if (open[1]) cases.b = chs[1].receiveCase();
      const r = await select(cases);
      const which = r.key === 'a' ? 0 : 1;
      if (r.done) open[which] = false;
      else take(r.value);
    }
  };
  const consumers: Tasklet<unknown>[] = [2, ...p.consumers].map((kind, i) => {
    const mine: string[] = (byConsumer[i] = []);
    return tasklet(() => consume(kind, mine), { name: `consumer ${i}` })();
  });

  const killable = [...producers, ...consumers.slice(1)];
  const chaos = tasklet(
    async () => {
      for (const { after, pick, abort } of p.kills) {
        for (let i = 0; i < after; i++) await schedule();
        if (abort) {
          const sends = [...inFlight.values()];
          if (sends.length > 0) sends[pick % sends.length].abort('aborted');
        } else {
          await killable[pick % killable.length].kill();
        }
      }
    },
    { name: 'chaos' },
  )();

  let at = 0;
  setPickPolicy((runnable) => {
    assertLoopInvariants();
    return p.picks[at++ % p.picks.length] % runnable;
  });
  try {
    const ends = producers.map((t) => t.join().catch((e: unknown) => e));
    const closer = Promise.all(ends).then(() => chs.forEach((ch) => ch.close()));
    await chaos.join();
    await closer;
    await run(); // rejects with DeadlockError if anything is stuck
  } finally {
    setPickPolicy(null);
  }
  for (const t of [...producers, ...consumers]) {
    const outcome = await t.join().then(
      () => 'ok',
      (e: unknown) => (e instanceof ChannelClosedError ? 'closed' : e),
    );
    expect({ tasklet: t.name, outcome }).toEqual({ tasklet: t.name, outcome: 'ok' });
  }

  expect(new Set(received).size).toBe(received.length); // nothing twice
  expect([...received].sort()).toEqual([...completed].sort()); // exactly the completed sends
  for (const v of withdrawn) expect(completed.has(v)).toBe(false);
  for (const mine of byConsumer) {
    for (let i = 0; i < p.producers.length; i++) {
      for (const ch of [0, 1]) {
        const ks = mine.filter((v) => v.startsWith(`p${i}:`) && sentOn.get(v) === ch).map((v) => Number(v.split(':')[1]));
        expect(ks).toEqual([...ks].sort((x, y) => x - y));
      }
    }
  }
}

test(
  'under any schedule the loop could choose, nothing is lost, duplicated or reordered, and run() settles',
  async () => {
    await fc.assert(fc.asyncProperty(programArb, check), {
      numRuns: Number(process.env.FC_RUNS ?? (STRESS ? 5_000 : 300)),
    });
  },
  STRESS ? 1_800_000 : 60_000,
);

test('the pick policy is honoured: picking the last runnable party runs three tasklets in reverse', async () => {
  const order: string[] = [];
  for (const name of ['a', 'b', 'c']) tasklet(async () => void order.push(name), { name })();
  setPickPolicy((runnable) => runnable - 1);
  try {
    await run();
  } finally {
    setPickPolicy(null);
  }
  expect(order).toEqual(['c', 'b', 'a']);
});
