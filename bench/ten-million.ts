/**
 * Ten million players (issue 15, target 5): the `tasklets` command's game and the
 * same-shape floor's, once each, one after the other, with their wall time and peak RSS.
 *
 *   npx tsx bench/ten-million.ts [--players N] [--impl tasklets,same-shape] [--timeout S] [--out PATH]
 *
 * `tasklets` runs the built command, `node --max-old-space-size=19000 dist/cli.js
 * --players N --seed 42` (the library is built first); any other implementation runs
 * bench/child.ts on `hackysack-N` with the same heap limit. Each is wrapped in
 * `/usr/bin/time -v` where there is one, whose maximum resident set is the peak RSS
 * recorded; without it, the process's own report (`process.resourceUsage().maxRSS`).
 * Wall time is the whole process, Node's start-up included, as a user would time it.
 * Each run checks its result (1,000 kicks and N + 1 parties finished).
 *
 * Writes docs/ten-million.json (read by bench/report.ts for the benchmark page) when N
 * is ten million, else only with `--out`. A game of ten million takes minutes and up to
 * ~16 GB: on a shared machine, run it when nothing else large is running.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from './build';
import type { TenMillion, TenMillionRun } from './targets';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEN_MILLION = 10_000_000;
const TURNS = 1000;
const SEED = 42;
/** Room for ten million parked tasklets: they have reached 16 GB. */
const NODE_FLAGS = ['--max-old-space-size=19000'];
const TIME = '/usr/bin/time';

interface Options {
  players: number;
  impls: string[];
  timeoutS: number;
  out: string | undefined;
}

function fail(message: string): never {
  console.error(`ten-million: ${message}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { players: TEN_MILLION, impls: ['tasklets', 'same-shape'], timeoutS: 900, out: undefined };
  let out: string | undefined;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--players') o.players = Number(value);
    else if (flag === '--impl') o.impls = value.split(',').filter((s) => s !== '');
    else if (flag === '--timeout') o.timeoutS = Number(value);
    else if (flag === '--out') out = value;
    else fail(`unknown argument: ${flag} (see the comment at the top of bench/ten-million.ts)`);
  }
  if (!Number.isSafeInteger(o.players) || o.players < 1) fail(`--players needs a positive integer, received ${o.players}`);
  if (!(o.timeoutS > 0)) fail(`--timeout needs a positive number of seconds, received ${o.timeoutS}`);
  for (const impl of o.impls) if (!existsSync(path.join(ROOT, 'bench/impl', `${impl}.ts`))) fail(`unknown implementation ${JSON.stringify(impl)}`);
  o.out = out ?? (o.players === TEN_MILLION ? 'docs/ten-million.json' : undefined);
  return o;
}

/** The command line of one game: the `tasklets` command, or bench/child.ts for any other implementation. */
function command(impl: string, players: number): string[] {
  if (impl === 'tasklets') return [process.execPath, ...NODE_FLAGS, 'dist/cli.js', '--players', String(players), '--turns', String(TURNS), '--seed', String(SEED)];
  return [process.execPath, ...NODE_FLAGS, '--import', 'tsx', 'bench/child.ts', impl, `hackysack-${players}`];
}

/** Whether `/usr/bin/time` is GNU time, which has `-v` (BusyBox's and BSD's differ). */
function hasGnuTime(): boolean {
  try {
    execFileSync(TIME, ['-v', 'true'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  timedOut: boolean;
}

/** Runs `argv` in its own process group (so that a timeout kills the game, not only `time`). */
function runProcess(argv: readonly string[], timeoutS: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid!, 'SIGKILL');
    }, timeoutS * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (performance.now() - start) / 1000, timedOut });
    });
  });
}

/** The game's own figures from its output, or why the run does not count. */
function readGame(impl: string, players: number, stdout: string): { gameMs: number; ownRssMB: number } | { problem: string } {
  if (impl === 'tasklets') {
    // hackysack: 10,000 players, 1,000 turns: 1,000 kicks, 10,001 tasklets finished, 123.4 ms, peak RSS 110 MB (seed 42)
    const m = /([\d,]+) kicks, ([\d,]+) tasklets finished, ([\d.]+) ms, peak RSS (\d+) MB/.exec(stdout);
    if (m === null) return { problem: `no summary line in its output: ${stdout.trim().slice(-200)}` };
    const [kicks, finished] = [m[1], m[2]].map((s) => Number(s.replace(/,/g, '')));
    if (kicks !== TURNS || finished !== players + 1) return { problem: `${kicks} kicks and ${finished} finished, expected ${TURNS} and ${players + 1}` };
    return { gameMs: Number(m[3]), ownRssMB: Number(m[4]) };
  }
  // bench/child.ts checks the game itself and prints {"ms", "rssMB"} or {"error"}.
  try {
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { ms?: number; rssMB?: number; error?: string };
    if (report.error !== undefined) return { problem: report.error };
    if (report.ms === undefined || report.rssMB === undefined) return { problem: `no figures in ${stdout.trim()}` };
    return { gameMs: report.ms, ownRssMB: report.rssMB };
  } catch {
    return { problem: `no report in its output: ${stdout.trim().slice(-200)}` };
  }
}

/** Plays one game and records it. */
async function play(impl: string, o: Options, gnuTime: boolean): Promise<TenMillionRun> {
  const game = command(impl, o.players);
  const shown = ['node', ...game.slice(1)].join(' ');
  const exit = await runProcess(gnuTime ? [TIME, '-v', ...game] : game, o.timeoutS);
  const run: TenMillionRun = { impl, command: shown, status: 'ok', seconds: exit.seconds };
  if (exit.timedOut) return { ...run, status: 'timeout', detail: `over ${o.timeoutS} s` };
  const figures = readGame(impl, o.players, exit.stdout);
  if (exit.code !== 0 || 'problem' in figures) {
    const why = 'problem' in figures ? figures.problem : `exit ${exit.code}: ${exit.stderr.trim().split('\n').slice(-3).join(' ')}`;
    return { ...run, status: 'failed', detail: why };
  }
  run.gameMs = figures.gameMs;
  const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(exit.stderr);
  if (maxRss !== null) {
    run.peakRssMB = Number(maxRss[1]) / 1024;
    run.rssSource = '/usr/bin/time -v';
  } else {
    run.peakRssMB = figures.ownRssMB;
    run.rssSource = 'process.resourceUsage().maxRSS';
  }
  return run;
}

/** Which library was measured: the commit, and whether lib/ differed from it. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'lib') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in lib/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.impls.includes('tasklets')) buildLibrary();
  const gnuTime = hasGnuTime();
  const availableGB = os.freemem() / 2 ** 30;
  console.error(
    `ten-million: ${o.players.toLocaleString('en-US')} players × ${TURNS} turns: ${o.impls.join(', ')}, one after the other; ${availableGB.toFixed(1)} GB free now; peak RSS from ${gnuTime ? TIME : 'each process'}`,
  );

  const runs: TenMillionRun[] = [];
  for (const impl of o.impls) {
    const run = await play(impl, o, gnuTime);
    runs.push(run);
    const figures =
      run.status === 'ok'
        ? `${run.seconds!.toFixed(1)} s wall (game ${(run.gameMs! / 1000).toFixed(1)} s), peak RSS ${(run.peakRssMB! / 1024).toFixed(2)} GB`
        : `${run.status}: ${run.detail}`;
    console.error(`ten-million: ${impl}: ${figures}`);
  }

  const result: TenMillion = {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    revision: revision(),
    node: process.version,
    players: o.players,
    turns: TURNS,
    nodeFlags: NODE_FLAGS.join(' '),
    runs,
  };
  const json = `${JSON.stringify(result, null, 1)}\n`;
  if (o.out === undefined) process.stdout.write(json);
  else {
    writeFileSync(path.resolve(ROOT, o.out), json);
    console.error(`ten-million: wrote ${o.out}`);
  }
  if (runs.some((r) => r.status !== 'ok')) process.exitCode = 1;
}

void main();
