/**
 * Regression: a parked select with two cases on one side of one channel was always
 * completed on its first key (100 of 100): its case waiters joined the queue in key
 * order and a partner takes the older. Go's `select { case c <- 0: case c <- 1: }` is
 * the language's own random bit (Go's TestPseudoRandomSend); a select now joins such
 * queues in random order, through the library's one seedable source, and with
 * `priority: true` in key order.
 */
import { Channel, recordDecisions, replayDecisions, select, setRandomSeed, tasklet } from '../../lib/index';
import { idle } from '../helpers';

const TRIALS = 400;

/** Parks `{ zero: c <- 0, one: c <- 1 }` (or two receives), has a partner complete it `TRIALS` times; counts the first key's wins. */
async function firstKeyWins(kind: 'send' | 'receive', options?: { priority: boolean }): Promise<{ first: number; keys: string[] }> {
  const c = new Channel<number>({ name: 'c' });
  const keys: string[] = [];
  let first = 0;
  for (let i = 0; i < TRIALS; i++) {
    const cases = kind === 'send' ? { zero: c.sendCase(0), one: c.sendCase(1) } : { zero: c.receiveCase(), one: c.receiveCase() };
    const picker = tasklet(async () => select(cases, options))();
    await idle(); // parked: both cases wait in one of c's queues
    expect(c.balance).toBe(kind === 'send' ? 2 : -2);
    if (kind === 'send') expect([0, 1]).toContain(c.tryReceive().value);
    else expect(c.trySend(7)).toBe(true);
    const r = await picker.join();
    if (kind === 'send') expect(r.value).toBeUndefined();
    expect(c.balance).toBe(0);
    keys.push(r.key);
    if (r.key === 'zero') first++;
  }
  return { first, keys };
}

// Binomial(400, 1/2): mean 200, σ = 10. Outside 200 ± 70 (7σ) has probability below
// 1e-11 for a fair coin, and the old code's 400 is 20σ away.
test.each(['send', 'receive'] as const)('two %s cases on one channel: both keys win, about half each (unseeded)', async (kind) => {
  const { first } = await firstKeyWins(kind);
  expect(first).toBeGreaterThan(130);
  expect(first).toBeLessThan(270);
});

test('the value sent tells which case won (Go TestPseudoRandomSend)', async () => {
  const c = new Channel<number>();
  const seen = [0, 0];
  for (let i = 0; i < TRIALS; i++) {
    const sender = tasklet(async () => select({ a: c.sendCase(0), b: c.sendCase(1) }))();
    await idle();
    seen[(await c.receive()) as 0 | 1]++;
    await sender.join();
  }
  expect(seen[0]).toBeGreaterThan(130);
  expect(seen[1]).toBeGreaterThan(130);
});

test('seeded runs reproduce', async () => {
  setRandomSeed(2026);
  const a = await firstKeyWins('send');
  setRandomSeed(2026);
  const b = await firstKeyWins('send');
  expect(b.keys).toEqual(a.keys);
});

test('recorded decisions replay the same winners', async () => {
  const recording = recordDecisions();
  const a = await firstKeyWins('receive');
  const decisions = recording.stop();
  expect(decisions.filter((d) => d.where === 'select park')).toHaveLength(TRIALS);
  const replay = replayDecisions(decisions);
  const b = await firstKeyWins('receive');
  replay.stop();
  expect(b.keys).toEqual(a.keys);
});

test.each(['send', 'receive'] as const)('priority: true takes key order: two %s cases, the first key wins every time', async (kind) => {
  const { first } = await firstKeyWins(kind, { priority: true });
  expect(first).toBe(TRIALS);
});

test('a select whose cases share no queue draws nothing for its parking order', async () => {
  const a = new Channel<number>();
  const b = new Channel<number>();
  const recording = recordDecisions();
  const p = select({ a: a.receiveCase(), b: b.receiveCase(), s: a.sendCase(1) });
  expect(b.trySend(2)).toBe(true);
  expect(await p).toEqual({ key: 'b', value: 2, done: false });
  expect(recording.stop()).toEqual([]);
});
