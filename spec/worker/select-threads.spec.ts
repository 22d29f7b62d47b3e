/**
 * Selects mixing local and remote cases across real threads (lib/worker/select.ts): random
 * programs of selects with deadlines and early aborts, two parties in each of three threads,
 * over channels owned by each thread, and in the main thread a third, a tasklet killed in
 * the middle of its program. Every value a select reports sent is received exactly
 * once (or left in its channel), and no value is received that no select reports sent: a
 * select completed exactly one case and lost nothing in the others.
 */
import type { Worker } from 'node:worker_threads';
import { Channel, tasklet } from '../../lib/index';
import { attach } from '../../lib/worker/remote';
import { share, type SharedChannel } from '../../lib/worker/share';
import { type MakeCase, randomSelects, readLog } from '../fixtures/worker-select-program';
import { exited, startWorker } from './helpers';

const STRESS = process.env.STRESS === '1';
jest.setTimeout(STRESS ? 600_000 : 30_000);

const next = <T>(w: Worker): Promise<T> => new Promise((resolve) => w.once('message', resolve));
const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const seeds = STRESS ? Array.from({ length: 20 }, (_, i) => 100 + i) : [1, 2];
const runs = seeds.flatMap((seed) => [0, 1].map((capacity) => [capacity, seed] as const));

test.each(runs)('random selects over local and remote cases in three threads (capacity %i, seed %i): every value received exactly once, nothing lost', async (capacity, seed) => {
  const ops = STRESS ? 400 : 40;
  const x = new Channel<number>({ name: 'x', capacity });
  const y = new Channel<number>({ name: 'y', capacity });
  const workers = [1, 2].map((party) => {
    const sx = share(x);
    const sy = share(y);
    return startWorker({ x: sx, y: sy, party, seed, ops, capacity }, [sx.port, sy.port], 'worker-select');
  });
  const zs = await Promise.all(workers.map((w) => next<{ z: SharedChannel<number> }>(w)));
  const reports = workers.map((w) => next<{ sent: number[]; received: number[] }>(w));
  const remote = zs.map(({ z }) => attach(z));
  const channels: MakeCase[] = [x, y, ...remote].map((c) => (v: number | undefined) => (v === undefined ? c.receiveCase() : c.sendCase(v)));
  const victim = { sent: [] as number[], received: [] as number[] };
  const killed = tasklet(async () => randomSelects(39, seed * 100 + 59, ops, channels, victim), { name: 'victim' })();
  const killer = setTimeout(() => void killed.kill(), 5 + (seed % 7) * 5); // in the middle of some select, local or across threads
  const mine = await Promise.all([0, 1].map((k) => randomSelects(30 + k, seed * 100 + 50 + k, ops, channels)));
  clearTimeout(killer);
  await killed.kill();
  mine.push(victim);
  const theirs = await Promise.all(reports);
  await settle(50); // cancels and declines still in flight reach the owners
  const lefts = workers.map((w) => next<{ left: number[] }>(w));
  for (const w of workers) w.postMessage('drain');
  const leftThere = (await Promise.all(lefts)).flatMap((l) => l.left);
  for (const w of workers) expect(await exited(w)).toBe(0);
  await settle(50); // the workers' ports have closed here: values in flight to them came back
  const leftHere: number[] = [];
  for (const ch of [x, y]) for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) leftHere.push(r.value);
  const all = [...mine, ...theirs];
  const sent = all.flatMap((p) => p.sent).sort((a, b) => a - b);
  const received = [...all.flatMap((p) => p.received), ...leftThere, ...leftHere].sort((a, b) => a - b);
  expect(received).toEqual(sent);
  expect(sent.length).toBeGreaterThan(10); // selects did meet partners
  expect(x.balance + y.balance).toBe(0);
});

/** Counts of each value. */
const tally = (vs: number[]): Map<number, number> => {
  const m = new Map<number, number>();
  for (const v of vs) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

test.each(runs)(
  'the same with the second worker terminated in the middle of its program (capacity %i, seed %i): nothing received twice, nothing lost but what the dead thread held',
  async (capacity, seed) => {
    const ops = STRESS ? 400 : 60;
    const x = new Channel<number>({ name: 'x', capacity });
    const y = new Channel<number>({ name: 'y', capacity });
    const logs = [0, 1].map(() => new SharedArrayBuffer(4 * (1 + 2 * ops)));
    const workers = [1, 2].map((party) => {
      const sx = share(x);
      const sy = share(y);
      return startWorker({ x: sx, y: sy, party, seed, ops, capacity, ...(party === 2 ? { logs } : {}) }, [sx.port, sy.port], 'worker-select');
    });
    const zs = await Promise.all(workers.map((w) => next<{ z: SharedChannel<number> }>(w)));
    const report = next<{ sent: number[]; received: number[] }>(workers[0]);
    let finished = false;
    workers[1].once('message', () => (finished = true));
    const remote = zs.map(({ z }) => attach(z));
    const channels: MakeCase[] = [x, y, ...remote].map((c) => (v: number | undefined) => (v === undefined ? c.receiveCase() : c.sendCase(v)));
    const killer = settle(15 + (seed % 5) * 5).then(() => workers[1].terminate());
    const mine = await Promise.all([0, 1].map((k) => randomSelects(30 + k, seed * 100 + 50 + k, ops, channels)));
    await killer;
    expect(finished).toBe(false); // it was killed in the middle
    const theirs = await report;
    await settle(50);
    const left = next<{ left: number[] }>(workers[0]);
    workers[0].postMessage('drain');
    const leftThere = (await left).left;
    expect(await exited(workers[0])).toBe(0);
    await settle(50); // the ports' close: values in flight to the workers came back
    const leftHere: number[] = [];
    for (const ch of [x, y]) for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) leftHere.push(r.value);
    const dead = logs.map(readLog);
    const all = [...mine, theirs, ...dead];
    const sent = all.flatMap((p) => p.sent);
    const received = [...all.flatMap((p) => p.received), ...leftThere, ...leftHere];
    const got = tally(received);
    expect([...got.values()].every((n) => n === 1)).toBe(true); // nothing received twice
    const made = new Set(sent);
    expect(made.size).toBe(sent.length);
    // Received but not recorded as sent: only a dead party's send that completed as it died, one per party at most.
    const extra = received.filter((v) => !made.has(v));
    expect(extra.every((v) => [20, 21].includes(Math.floor(v / 1e6)))).toBe(true);
    expect(extra.length).toBeLessThanOrEqual(2);
    // Sent but not received: a value in the dead thread's own channel (main's case 3, its own case 2), or one a dead party had taken as it died.
    const lost = sent.filter((v) => !got.has(v));
    const inDeadChannel = (v: number): boolean => ([30, 31].includes(Math.floor(v / 1e6)) ? v % 10 === 3 : [20, 21].includes(Math.floor(v / 1e6)) && v % 10 === 2);
    expect(lost.filter((v) => !inDeadChannel(v)).length).toBeLessThanOrEqual(2);
    expect(sent.length).toBeGreaterThan(10);
  },
);
