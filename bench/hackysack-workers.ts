/**
 * Hackysack on worker threads (issue 16): the same game — same players, turns and seed, so
 * the same kicks — with no workers (examples/hackysack.ts's `runit`, one thread), with
 * `--workers 1` (every player in one worker: the threads' setup and the main thread's part,
 * no kick crossing threads) and with `--workers 2` (about half the kicks cross threads).
 * Interleaved rep by rep in one process; medians; µs per kick counts play only (after
 * the threads are set up), and the setup is given apart.
 *
 *   npx tsx bench/hackysack-workers.ts [--players N] [--turns N] [--reps N] [--out PATH]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runit } from '../examples/hackysack';
import { runitOnWorkers, spawnFrom } from '../examples/hackysack-workers';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const n = Number(process.argv[at + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`bench/hackysack-workers.ts: ${name} takes a positive integer, received ${process.argv[at + 1]}`);
  return n;
}

const PLAYERS = option('--players', 1000);
const TURNS = option('--turns', 100_000);
const REPS = option('--reps', 3);
const outAt = process.argv.indexOf('--out');
const OUT = outAt < 0 ? undefined : process.argv[outAt + 1];
const SEED = 1;
const spawn = spawnFrom(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'hackysack-workers.ts'));

type Row = { playMs: number; setupMs: number };
const runs: Record<'none' | 'workers1' | 'workers2', Row[]> = { none: [], workers1: [], workers2: [] };
const trails = new Set<number>();
for (let r = 0; r < REPS; r++) {
  const none = await runit(PLAYERS, TURNS, { seed: SEED });
  if (none.kicks !== TURNS || none.finished !== PLAYERS + 1) throw new Error(`no workers: ${none.kicks} kicks, ${none.finished} finished`);
  runs.none.push({ playMs: none.ms, setupMs: 0 });
  for (const workers of [1, 2] as const) {
    const g = await runitOnWorkers(PLAYERS, TURNS, { workers, seed: SEED, spawn });
    if (g.kicks !== TURNS || g.finished !== PLAYERS + 1) throw new Error(`--workers ${workers}: ${g.kicks} kicks, ${g.finished} finished`);
    trails.add(g.trail);
    runs[workers === 1 ? 'workers1' : 'workers2'].push({ playMs: g.ms - g.setupMs, setupMs: g.setupMs });
  }
  console.error(
    `rep ${r + 1}: ${Object.entries(runs)
      .map(([k, rows]) => `${k} ${rows[r].playMs.toFixed(0)} ms`)
      .join(', ')}`,
  );
}
if (trails.size !== 1) throw new Error(`the same seed played ${trails.size} different games`);

const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const base = median(runs.none.map((r) => r.playMs));
const rows = Object.entries(runs).map(([name, rs]) => ({ name, playMs: median(rs.map((r) => r.playMs)), setupMs: median(rs.map((r) => r.setupMs)) }));
console.log(`| ${PLAYERS.toLocaleString('en-US')} players × ${TURNS.toLocaleString('en-US')} kicks (median of ${REPS}) | play ms | µs per kick | × no workers | setup ms |`);
console.log('|---|---:|---:|---:|---:|');
const label: Record<string, string> = { none: 'no workers (one thread)', workers1: '`--workers 1`', workers2: '`--workers 2`' };
for (const r of rows) {
  console.log(`| ${label[r.name]} | ${r.playMs.toFixed(0)} | ${((r.playMs * 1000) / TURNS).toFixed(2)} | ${(r.playMs / base).toFixed(1)} | ${r.setupMs.toFixed(0)} |`);
}
if (OUT !== undefined) writeFileSync(OUT, `${JSON.stringify({ players: PLAYERS, turns: TURNS, reps: REPS, rows, runs }, null, 2)}\n`);
