/**
 * Stress: tasklets running random selects (sends and receives over shared channels of
 * several capacities, the same channel twice, both sides at once) while a chaos
 * tasklet aborts parked ones at random. Whatever the interleaving, every value whose
 * send won is received exactly once, and no value of an aborted or losing send case
 * is ever received.
 */
import { Channel, type Case, schedule, select, setRandomSeed, tasklet, run } from '../../lib/index';
import { random as rng } from '../../examples/random';
import { leftovers } from '../helpers';

async function trial(seed: number): Promise<{ sent: number; received: number; aborted: number }> {
  setRandomSeed(seed);
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chans = [0, 1, 2].map((i) => new Channel<number>({ name: `c${i}`, capacity: pick([0, 0, 1, 2]) }));
  const sent = new Set<number>();
  const received: number[] = [];
  const pending = new Set<AbortController>();
  let next = 0;
  let aborted = 0;
  let finished = 0;
  const WORKERS = 5;
  const worker = tasklet(async () => {
    for (let i = 0; i < 150; i++) {
      const cases: Record<string, Case<number>> = {};
      const offered: Record<string, number> = {};
      const n = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < n; k++) {
        const ch = pick(chans);
        if (rand() < 0.5) {
          const v = next++;
          offered[`s${k}`] = v;
          cases[`s${k}`] = ch.sendCase(v);
        } else cases[`r${k}`] = ch.receiveCase();
      }
      const ac = new AbortController();
      pending.add(ac);
      try {
        const r = await select(cases, { signal: ac.signal });
        if (r.key[0] === 's') sent.add(offered[r.key]);
        else if (!r.done) received.push(r.value as unknown as number);
      } catch (e) {
        if (e !== ac.signal.reason) throw e;
        aborted++;
      } finally {
        pending.delete(ac);
      }
    }
    finished++;
  });
  for (let w = 0; w < WORKERS; w++) worker();
  tasklet(
    async () => {
      while (finished < WORKERS) {
        await schedule();
        if (pending.size !== 0 && rand() < 0.4) pick([...pending]).abort(new Error('chaos'));
      }
    },
    { name: 'chaos' },
  )();
  await run();
  // What is left in buffers was sent too: drain it.
  for (const ch of chans) {
    ch.close();
    for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) received.push(r.value);
    expect([ch.balance, ch.length, ch.closed]).toEqual([0, 0, true]);
  }
  const seen = new Set<number>();
  const twice: number[] = [];
  const neverSent: number[] = [];
  for (const v of received) {
    if (seen.has(v)) twice.push(v);
    if (!sent.has(v)) neverSent.push(v);
    seen.add(v);
  }
  expect({ seed, twice, neverSent, lost: sent.size - seen.size }).toEqual({ seed, twice: [], neverSent: [], lost: 0 });
  return { sent: sent.size, received: received.length, aborted };
}

test('random selects under random aborts: every winning send received exactly once, nothing else', async () => {
  let total = { sent: 0, aborted: 0 };
  for (let seed = 1; seed <= 20; seed++) {
    const r = await trial(seed);
    total = { sent: total.sent + r.sent, aborted: total.aborted + r.aborted };
  }
  // the trials did exercise both paths
  expect(total.sent).toBeGreaterThan(500);
  expect(total.aborted).toBeGreaterThan(100);
  expect(leftovers()).toEqual({ timers: 0, parkedPlain: 0 });
});
