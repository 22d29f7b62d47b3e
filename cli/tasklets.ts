/**
 * The `tasklets` command (package.json `bin`, built to dist/cli.js): plays Grant Olson's
 * hackysack game with examples/hackysack.ts's `runit`.
 *
 *   npx tasklets [--players N] [--turns N] [--seed N] [--verbose] [--trace FILE]
 *   npx tasklets --help | --version
 *
 * The summary goes to stdout, and so do `--help` and `--version` (exit 0). Bad flags print
 * a line saying what is wrong and the usage to stderr and exit 2; so does a `--trace`
 * file that cannot be written, found before the game starts, not after it. When stderr
 * is a terminal and the game is still going after a moment, a progress bar on stderr
 * shows the circle forming (`starting players n/N`), then counts kicks and finished
 * tasklets (the loop yields to the host between batches, so the bar's timer runs during
 * the game). When stderr is not a terminal, nothing is drawn.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { runit } from '../examples/hackysack';
import { runitOnWorkers, spawnFrom } from '../examples/hackysack-workers';
import { startTrace } from '../lib/index';

/** How long a game runs before the bar appears, and how often it is redrawn. */
const BAR_DELAY_MS = 250;
const BAR_EVERY_MS = 100;

export const USAGE = `usage: tasklets [--players N] [--turns N] [--seed N] [--workers N] [--verbose] [--trace FILE]
       tasklets --help | --version
Plays Grant Olson's hackysack game: players + 1 tasklets in a circle kick a sack over channels.
  --players N   players in the circle besides the first (default 10000)
  --turns N     kicks before everyone is told to exit (default 1000)
  --seed N      seeds the random kicks, so a game can be replayed exactly
  --workers N   spreads the players over N worker threads (kicks cross threads over
                shared channels; the same seed plays the same game); not with
                --verbose or --trace
  --verbose     prints every kick
  --trace FILE  records the game as a Chrome trace (open it in ui.perfetto.dev)
  --help, -h    prints this and exits
  --version     prints the version of tasklets and exits`;

/** What the command line asks for, checked. */
export interface Args {
  players: number;
  turns: number;
  seed?: number;
  workers?: number;
  verbose: boolean;
  trace?: string;
}

/** A command line that cannot be played: the message for stderr (exit 2). */
class UsageError extends Error {}

/**
 * Parses the command line with `node:util`'s `parseArgs`: `'help'`, `'version'`, or the
 * game's arguments. Throws `UsageError` with a one-line message for bad flags.
 */
export function parseCommandLine(argv: readonly string[]): 'help' | 'version' | Args {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        players: { type: 'string' },
        turns: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string' },
        verbose: { type: 'boolean' },
        trace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new UsageError(parseError(e));
  }
  if (values.help === true) return 'help';
  if (values.version === true) return 'version';
  const integer = (flag: string, min: number, fallback: number | undefined): number | undefined => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new UsageError(`--${flag} needs an integer >= ${min}, received ${JSON.stringify(text)}`);
    }
    return value;
  };
  const args: Args = { players: integer('players', 1, 10000)!, turns: integer('turns', 1, 1000)!, verbose: values.verbose === true };
  const seed = integer('seed', 0, undefined);
  if (seed !== undefined) args.seed = seed;
  const workers = integer('workers', 1, undefined);
  if (workers !== undefined) {
    if (args.verbose) throw new UsageError('--workers cannot be used with --verbose (the kicks are printed by one thread only)');
    if (values.trace !== undefined) throw new UsageError('--workers cannot be used with --trace (a trace records one thread)');
    if (workers > args.players + 1) throw new UsageError(`--workers needs at most players + 1 (${args.players + 1}) threads, received ${workers}`);
    args.workers = workers;
  }
  if (values.trace !== undefined) {
    if (values.trace === '') throw new UsageError('--trace needs a file name');
    args.trace = values.trace as string;
  }
  return args;
}

/** `parseArgs`'s errors, in the command's words (its own messages run to three lines). */
function parseError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  // The option as parseArgs quotes it: '--trace <value>', '-h, --help', '-x'.
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(/[ ,]/)[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown argument: ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument: ${quoted}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // A boolean option given a value, or a string option without one (or followed by
      // something that looks like an option: `--players --turns 5`, `--players -3`).
      return /does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`;
    default:
      return message;
  }
}

/**
 * Why the game could not write its trace to `file` at the end, or `undefined` if it can:
 * the directory exists and is writable, and the file, if there, is a writable file.
 * Checked before the game, so that a long game is not played for nothing.
 */
export function traceFileProblem(file: string): string | undefined {
  const path = resolve(file);
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) return `--trace ${file}: ${dir} is not a directory`;
  } catch {
    return `--trace ${file}: no such directory: ${dir}`;
  }
  try {
    if (statSync(path).isDirectory()) return `--trace ${file}: is a directory`;
  } catch {
    try {
      accessSync(dir, constants.W_OK);
      return undefined;
    } catch {
      return `--trace ${file}: cannot create a file in ${dir} (no write permission)`;
    }
  }
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch {
    return `--trace ${file}: the file is not writable`;
  }
}

/** The package's version, from the package.json one folder up (from cli/ and from dist/ alike). */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const n = (x: number): string => x.toLocaleString('en-US');

function bar(done: number, width: number): string {
  const filled = Math.round(Math.min(1, done) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(Math.min(1, done) * 100)).padStart(3)}%`;
}

/** While the circle forms: `[#####.....]  42%  starting players 420,000/1,000,001`. */
export function startingLine(started: number, tasklets: number, width = 30): string {
  return `${bar(started / tasklets, width)}  starting players ${n(started)}/${n(tasklets)}`;
}

/** During the game: `[#####.....]  42%  kicks 420/1,000  finished 0/10,001`. */
export function progressLine(kicks: number, turns: number, finished: number, tasklets: number, width = 30): string {
  return `${bar((kicks + finished) / (turns + tasklets), width)}  kicks ${n(kicks)}/${n(turns)}  finished ${n(finished)}/${n(tasklets)}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tasklets: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed === 'version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const args = parsed;
  if (args.trace !== undefined) {
    const problem = traceFileProblem(args.trace);
    if (problem !== undefined) {
      process.stderr.write(`tasklets: ${problem}\n`);
      return 2;
    }
  }

  const tasklets = args.players + 1;
  if (args.workers !== undefined) return onWorkers(args, args.workers);
  let kicks = 0;
  let finished = 0;
  let started = 0;
  let drawn = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    drawn = true;
    const line = started < tasklets ? startingLine(started, tasklets) : progressLine(kicks, args.turns, finished, tasklets);
    process.stderr.write(`\r${line}\x1b[K`);
  };
  // No bar under --verbose (the kicks are the progress) or when stderr is not a terminal.
  const showBar = process.stderr.isTTY === true && !args.verbose;
  const delay = showBar
    ? setTimeout(() => {
        draw();
        timer = setInterval(draw, BAR_EVERY_MS);
      }, BAR_DELAY_MS)
    : undefined;

  const trace = args.trace === undefined ? undefined : startTrace();
  try {
    const r = await runit(args.players, args.turns, {
      seed: args.seed,
      verbose: args.verbose,
      onProgress: showBar
        ? (k, f, s) => {
            kicks = k;
            finished = f;
            started = s;
          }
        : undefined,
    });
    if (drawn) {
      draw();
      process.stderr.write('\n');
    }
    if (trace !== undefined) {
      writeFileSync(args.trace!, JSON.stringify(trace.stop().toJSON()));
      process.stderr.write(`tasklets: trace written to ${args.trace} (open it in https://ui.perfetto.dev)\n`);
    }
    process.stdout.write(
      `hackysack: ${n(r.players)} players, ${n(r.turns)} turns: ${n(r.kicks)} kicks, ` +
        `${n(r.finished)} tasklets finished, ${r.ms.toFixed(1)} ms, peak RSS ${r.peakRssMB ?? '?'} MB (seed ${r.seed})\n`,
    );
    return r.kicks === r.turns && r.finished === tasklets ? 0 : 1;
  } finally {
    trace?.stop();
    clearTimeout(delay);
    clearInterval(timer);
  }
}

/**
 * The game over `workers` threads (examples/hackysack-workers.ts): no bar, a summary that
 * also gives the setup time and the kick sequence's hash (`trail`, the same for the same seed).
 */
async function onWorkers(args: Args, workers: number): Promise<number> {
  // Built, this file (dist/cli.js) holds the game's thread code too; from source, it is the example's.
  const here = new URL(import.meta.url);
  const file = /\.ts$/.test(here.pathname) ? new URL('../examples/hackysack-workers.ts', here) : here;
  const r = await runitOnWorkers(args.players, args.turns, { workers, seed: args.seed, spawn: spawnFrom(file) });
  process.stdout.write(
    `hackysack: ${n(r.players)} players, ${n(r.turns)} turns: ${n(r.kicks)} kicks, ${n(r.finished)} tasklets finished ` +
      `on ${workers} worker thread${workers === 1 ? '' : 's'}, ${r.ms.toFixed(1)} ms (setup ${r.setupMs.toFixed(1)} ms), ` +
      `peak RSS ${r.peakRssMB ?? '?'} MB (seed ${r.seed}, trail ${r.trail.toString(16).padStart(8, '0')})\n`,
  );
  return r.kicks === r.turns && r.finished === args.players + 1 ? 0 : 1;
}

// In a worker thread (the game's, under --workers), this file only plays its part of the game.
if (isMainThread) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tasklets: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
