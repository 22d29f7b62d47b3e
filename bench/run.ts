/**
 * The benchmark suite: `npm run bench` (all of it, writes docs/benchmarks.md and
 * docs/benchmarks.svg) or `npm run bench -- --quick` (a small subset, printed only).
 * Besides time, it measures bytes per parked party (the parked cases: heap growth after
 * full collections, in a child run with `--expose-gc`).
 *
 * Every (implementation, case) run happens in a fresh child process (bench/child.ts),
 * so each has its own heap and its own peak RSS. Implementations are interleaved rep by
 * rep (A B C, A B C, …) so that a slow stretch of this shared machine hits them all
 * alike; the report gives medians, and ratios to both floors computed from this run only.
 *
 * Flags:
 *   --quick              the QUICK_CASES subset, 3 reps (about a minute or two)
 *   --impl a,b,…         only these implementations (names as in bench/impl/)
 *   --workload a,b,…     only these workloads: hackysack, pingpong, pipeline, parked
 *   --case id,…          only these cases, at any size: hackysack-P, hackysack-PxT, pingpong-N,
 *                        pipeline-SxM, parked-N (e.g. hackysack-10000, pingpong-20000, parked-100000)
 *   --reps N             repetitions (default 5; the 1,000,000-player case uses at most 3)
 *   --timeout S          per-run limit in seconds (default 120); a run over it is marked timeout
 *   --out PATH           write PATH.md, PATH.svg and PATH.json (default docs/benchmarks for
 *                        the full suite; a partial run writes only when asked)
 *   --render PATH        only rewrite PATH.md and PATH.svg from PATH.json (after docs/instructions.md
 *                        or docs/ten-million.json changed); runs nothing
 *   --node-flags "…"     more V8/Node flags for every child, after the default heap limit
 *                        (e.g. "--max-semi-space-size=64" to see what the young generation's
 *                        size does); the report records them. Not with the full suite: its
 *                        report is the one with default flags.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, parseCase, QUICK_CASES, type Case } from './cases';
import { buildLibrary } from './build';
import { IMPLEMENTATIONS, type Implementation } from './implementations';
import { writeReport, markdownTables, type Cell, type Machine, type Results, type Sample } from './report';
import { readInstructions, readTenMillion } from './targets';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Every child gets the same heap limit, large enough for a million parked parties in any library. */
const HEAP_FLAGS = ['--max-old-space-size=8192'];
/** Repetitions for the million-player case, the one that dominates the suite's time. */
const MILLION_REPS = 3;

interface Options {
  quick: boolean;
  impls: Implementation[];
  cases: Case[];
  reps: number;
  timeoutS: number;
  out: string | undefined;
  /** The flags every child runs with: the heap limit, then any `--node-flags`. */
  nodeFlags: string[];
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const flags = new Map<string, string>();
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (['--impl', '--workload', '--case', '--reps', '--timeout', '--out', '--node-flags'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined) fail(`${arg} needs a value`);
      flags.set(arg, value);
    } else fail(`unknown argument: ${arg} (see the comment at the top of bench/run.ts)`);
  }
  const list = (flag: string): string[] | undefined =>
    flags
      .get(flag)
      ?.split(',')
      .filter((s) => s !== '');
  const number = (flag: string, fallback: number): number => {
    const text = flags.get(flag);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) fail(`${flag} needs a positive number, received ${JSON.stringify(text)}`);
    return n;
  };

  const implNames = list('--impl');
  for (const name of implNames ?? []) {
    if (!IMPLEMENTATIONS.some((impl) => impl.name === name)) {
      fail(`unknown implementation ${JSON.stringify(name)}; known: ${IMPLEMENTATIONS.map((impl) => impl.name).join(', ')}`);
    }
  }
  const impls = IMPLEMENTATIONS.filter((impl) => implNames === undefined || implNames.includes(impl.name));

  let cases = [...(quick ? QUICK_CASES : CASES)];
  const workloads = list('--workload');
  if (workloads !== undefined) {
    for (const w of workloads) if (!['hackysack', 'pingpong', 'pipeline', 'parked'].includes(w)) fail(`unknown workload ${JSON.stringify(w)}`);
    cases = cases.filter((c) => workloads.includes(c.workload));
  }
  const caseIds = list('--case');
  if (caseIds !== undefined) {
    cases = caseIds.map((id) => parseCase(id) ?? fail(`bad case ${JSON.stringify(id)}: hackysack-P, hackysack-PxT, pingpong-N, pipeline-SxM or parked-N`));
  }
  if (cases.length === 0) fail('no case selected');

  const whole = !quick && implNames === undefined && workloads === undefined && caseIds === undefined;
  const extra = (flags.get('--node-flags') ?? '').split(/\s+/).filter((s) => s !== '');
  for (const flag of extra) if (!flag.startsWith('--')) fail(`--node-flags takes flags starting with --, received ${JSON.stringify(flag)}`);
  if (whole && extra.length !== 0) fail('--node-flags needs a partial run (--impl, --workload or --case): the full report is the one with default flags');
  return {
    quick,
    impls,
    cases,
    reps: Math.round(number('--reps', quick ? 3 : 5)),
    timeoutS: number('--timeout', 120),
    out: flags.get('--out') ?? (whole ? 'docs/benchmarks' : undefined),
    nodeFlags: [...HEAP_FLAGS, ...extra],
  };
}

type Outcome = { sample: Sample } | { timeout: true } | { error: string };

/** Runs one case on one implementation in a fresh process, with the flags the case asks for after the run's own. */
function runChild(impl: Implementation, c: Case, timeoutS: number, nodeFlags: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, ...(c.nodeFlags ?? []), '--import', 'tsx', 'bench/child.ts', impl.name, c.id], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ timeout: true });
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        const report = JSON.parse(last) as { ms?: number; rssMB?: number; bytesPerParty?: number; error?: string };
        if (report.error !== undefined) return resolve({ error: report.error });
        const complete = c.measure === 'time' || report.bytesPerParty !== undefined;
        if (code === 0 && report.ms !== undefined && report.rssMB !== undefined && complete) {
          const sample: Sample = { ms: report.ms, rssMB: report.rssMB };
          if (report.bytesPerParty !== undefined) sample.bytesPerParty = report.bytesPerParty;
          return resolve({ sample });
        }
      } catch {
        // Not a report: fall through to the exit status and the child's stderr.
      }
      const why =
        stderr
          .trim()
          .split('\n')
          .filter((line) => /Error|error/.test(line))
          .pop() ?? stderr.trim().split('\n').pop();
      resolve({ error: `exit ${code ?? signal}${why ? `: ${why}` : ''}` });
    });
  });
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

function machine(command: string, nodeFlags: readonly string[]): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: os.totalmem() / 2 ** 30,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command,
    nodeFlags: nodeFlags.join(' '),
    revision: revision(),
  };
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * `--render PATH`: rewrites PATH.md and PATH.svg from PATH.json without running anything,
 * so that the page picks up figures measured apart (docs/instructions.md,
 * docs/ten-million.json) after the run that made it.
 */
function render(base: string): void {
  const file = path.resolve(ROOT, `${base}.json`);
  if (!existsSync(file)) fail(`--render: no ${file}`);
  const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  const instructions = readInstructions(path.join(ROOT, 'docs/instructions.md'));
  const tenMillion = readTenMillion(path.join(ROOT, 'docs/ten-million.json'));
  if (instructions !== undefined) results.instructions = instructions;
  if (tenMillion !== undefined) results.tenMillion = tenMillion;
  for (const written of writeReport(path.resolve(ROOT, base), results)) console.error(`bench: wrote ${path.relative(ROOT, written)}`);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--render');
  if (at !== -1) {
    const base = process.argv[at + 1];
    if (base === undefined || process.argv.length !== 4) fail('--render takes one PATH and nothing else');
    render(base);
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  if (options.impls.some((impl) => impl.kind === 'library')) buildLibrary();
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');

  const cells = new Map<string, Cell>();
  const key = (impl: Implementation, c: Case): string => `${impl.name} ${c.id}`;
  for (const c of options.cases) {
    for (const impl of options.impls) {
      const installed = impl.pkg === undefined || existsSync(path.join(ROOT, 'node_modules', impl.pkg, 'package.json'));
      cells.set(key(impl, c), { impl: impl.name, caseId: c.id, samples: [], status: installed ? 'ok' : 'skipped', detail: installed ? undefined : `${impl.pkg} is not installed` });
    }
  }
  const repsOf = (c: Case): number => (c.players === 1_000_000 ? Math.min(options.reps, MILLION_REPS) : options.reps);
  const total = options.cases.reduce((sum, c) => sum + repsOf(c) * options.impls.length, 0);
  console.error(`bench: ${options.impls.length} implementations × ${options.cases.length} cases, ${options.reps} reps, timeout ${options.timeoutS} s per run`);

  const started = Date.now();
  let done = 0;
  for (const c of options.cases) {
    for (let rep = 1; rep <= repsOf(c); rep++) {
      for (const impl of options.impls) {
        done++;
        const cell = cells.get(key(impl, c))!;
        const head = `[${String(done).padStart(String(total).length)}/${total} ${clock(Date.now() - started)}] ${c.label}, rep ${rep}/${repsOf(c)}: ${impl.label}`;
        if (cell.status !== 'ok') {
          console.error(`${head} — ${cell.status}, not run again`);
          continue;
        }
        const outcome = await runChild(impl, c, options.timeoutS, options.nodeFlags);
        if ('sample' in outcome) {
          cell.samples.push(outcome.sample);
          const { ms, bytesPerParty } = outcome.sample;
          const time = c.hops === undefined ? `${ms.toFixed(1)} ms` : `${((ms * 1e6) / c.hops).toFixed(0)} ns/hop`;
          const shown = bytesPerParty === undefined ? time : `${bytesPerParty.toFixed(0)} B/party (${time} to park)`;
          console.error(`${head} ${shown}, ${outcome.sample.rssMB.toFixed(0)} MB`);
        } else if ('timeout' in outcome) {
          // A run over the limit is not retried, nor is the same library on a larger game.
          cell.status = 'timeout';
          cell.detail = `over ${options.timeoutS} s`;
          console.error(`${head} TIMEOUT after ${options.timeoutS} s`);
          for (const bigger of options.cases) {
            const later = cells.get(key(impl, bigger))!;
            if (later.status === 'ok' && c.players !== undefined && bigger.players !== undefined && bigger.players > c.players) {
              later.status = 'timeout';
              later.detail = `not run: timed out on ${c.label}`;
            }
          }
        } else {
          cell.status = 'failed';
          cell.detail = outcome.error;
          console.error(`${head} FAILED: ${outcome.error}`);
        }
      }
    }
  }
  console.error(`bench: ${done} runs in ${clock(Date.now() - started)}`);

  const results: Results = {
    machine: machine(command, options.nodeFlags),
    reps: options.reps,
    millionReps: MILLION_REPS,
    timeoutS: options.timeoutS,
    impls: options.impls,
    cases: options.cases,
    cells: [...cells.values()],
    // Measured apart from the suite, and judged against the targets with it when present.
    instructions: readInstructions(path.join(ROOT, 'docs/instructions.md')),
    tenMillion: readTenMillion(path.join(ROOT, 'docs/ten-million.json')),
  };
  console.log(markdownTables(results));
  if (options.out !== undefined) {
    const written = writeReport(path.resolve(ROOT, options.out), results);
    console.error(`bench: wrote ${written.map((f) => path.relative(ROOT, f)).join(', ')}`);
  }
}

void main();
