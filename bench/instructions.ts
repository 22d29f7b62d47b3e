/**
 * Instructions per hand-off: the library's own cost on ping-pong as a count of machine
 * instructions, which, unlike time, does not drift with the load of this shared machine.
 *
 *   npx tsx bench/instructions.ts [--impl tasklets,same-shape,bare] [--small N] [--large N] [--out PATH]
 *
 * Each implementation runs ping-pong twice under `valgrind --tool=callgrind`, at `small`
 * and at `large` round trips, each in a fresh child (bench/child.ts); the difference of
 * the two totals over the difference in hand-offs is the steady-state count per
 * hand-off, with Node's start-up, module loading and most JIT warm-up cancelled out.
 * (`perf stat -e instructions` would be quicker, but this machine's VM exposes no
 * hardware counters: `perf stat -e instructions true` says "not supported".)
 * Writes docs/instructions.md unless `--out` says otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from './build';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Valgrind runs one thread at a time anyway; two children use the machine's two cores. */
const PARALLEL = 2;
/**
 * V8 without background threads: garbage collection and optimizing compilation happen on
 * the main thread, in the same order every run, so the counts repeat (with concurrent
 * marking and compiling, two identical runs differed by ~100 M instructions; without, by 0.3 M).
 */
const NODE_FLAGS = ['--single-threaded'];

interface Options {
  impls: string[];
  small: number;
  large: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { impls: ['tasklets', 'same-shape', 'bare'], small: 100_000, large: 500_000, out: 'docs/instructions.md' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--impl') o.impls = value.split(',');
    else if (flag === '--small') o.small = Number(value);
    else if (flag === '--large') o.large = Number(value);
    else if (flag === '--out') o.out = value;
    else throw new Error(`unknown argument: ${flag}`);
  }
  if (!(Number.isInteger(o.small) && Number.isInteger(o.large) && 0 < o.small && o.small < o.large)) {
    throw new Error(`--small and --large need integers with 0 < small < large, received ${o.small} and ${o.large}`);
  }
  return o;
}

/** Total instructions callgrind collected for one child run of ping-pong. */
function collected(impl: string, roundTrips: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...NODE_FLAGS, '--import', 'tsx', 'bench/child.ts', impl, `pingpong-${roundTrips}`];
    const child = spawn('valgrind', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /Collected\s*:\s*(\d+)/.exec(stderr);
      if (code !== 0 || m === null || stdout.includes('"error"')) {
        reject(new Error(`${impl} pingpong-${roundTrips} under callgrind failed (exit ${code}): ${stdout.trim()} ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      } else resolve(Number(m[1]));
    });
  });
}

/** Runs the jobs, `PARALLEL` at a time, keeping their order in the result. */
async function pool<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.impls.includes('tasklets')) buildLibrary();
  const valgrind = execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const revision = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'lib') === '' ? '' : ' with uncommitted changes in lib/'}`;
  console.error(`instructions: ${o.impls.join(', ')} × ping-pong at ${o.small} and ${o.large} round trips under callgrind (a few minutes)`);
  const jobs = o.impls.flatMap((impl) =>
    [o.small, o.large].map((n) => async () => {
      const count = await collected(impl, n);
      console.error(`  ${impl} pingpong-${n}: ${count.toLocaleString('en-US')} instructions`);
      return count;
    }),
  );
  const counts = await pool(jobs);
  const hops = 2 * (o.large - o.small);
  const perHop = new Map(o.impls.map((impl, i) => [impl, (counts[2 * i + 1] - counts[2 * i]) / hops]));
  const reference = perHop.get('same-shape');

  const rows = o.impls.map((impl) => {
    const n = perHop.get(impl)!;
    return `| ${impl} | ${Math.round(n).toLocaleString('en-US')} | ${reference === undefined ? '–' : (n / reference).toFixed(2)} |`;
  });
  const table = ['| implementation | instructions per hand-off | ÷ same-shape floor |', '|---|---:|---:|', ...rows].join('\n');
  console.log(table);

  const md = `<!-- Generated by bench/instructions.ts; rerun it rather than editing this file. -->
# Instructions per hand-off

Ping-pong over two rendezvous channels, counted by ${valgrind} (\`--tool=callgrind\`):
each implementation runs at ${o.small.toLocaleString('en-US')} and at ${o.large.toLocaleString('en-US')} round trips,
each in a fresh \`node ${NODE_FLAGS.join(' ')} --import tsx bench/child.ts\` (Node ${process.version}; V8 runs its garbage
collector and compiler on the main thread, so that the counts repeat), and the difference of the two totals is
divided by the difference in hand-offs (${hops.toLocaleString('en-US')}, two per round trip). Start-up, module loading
and most JIT warm-up cancel out; what is left is the steady-state cost of one hand-off, the garbage collector's share
included. Unlike time, this does not drift with the load of the machine. \`perf stat\` is not usable here: the VM
exposes no hardware counters.

${table}

Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, library at commit ${revision}, with \`npx tsx bench/instructions.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\`.
`;
  writeFileSync(path.resolve(ROOT, o.out), md);
  console.error(`instructions: wrote ${o.out}`);
}

main().catch((e: unknown) => {
  console.error(`instructions: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
