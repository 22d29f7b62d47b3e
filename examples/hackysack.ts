/**
 * Grant Olson's "hackysack" game from *Why Stackless*, with tasklets.
 *
 * `players + 1` tasklets stand in a circle, each owning a rendezvous channel. Whoever
 * receives the sack counts a kick and kicks it to another random player. The player
 * who makes kick number `turns` sends 'exit' to everyone else and leaves too, so the
 * game ends after exactly `turns` kicks with every tasklet finished.
 *
 *   npx tsx examples/hackysack.ts --players 10000 --turns 1000 [--seed 42] [--verbose] [--trace FILE]
 */
import { Channel, run, startTrace, tasklet } from '../lib/index';
import { random } from './random';

export { random };

/** What `runit` reports. */
export interface GameResult {
  players: number;
  turns: number;
  kicks: number;
  /** Tasklets that finished: `players + 1` when the game ended properly. */
  finished: number;
  /** Wall time in milliseconds, from creating the circle to the last tasklet's end. */
  ms: number;
  /** Peak resident set size in MB, where the host can tell. */
  peakRssMB: number | undefined;
  seed: number;
}

export interface GameOptions {
  /** Seeds the kicks, so a game can be replayed exactly. */
  seed?: number;
  /** Prints each kick like the original. */
  verbose?: boolean;
  /** Where verbose lines go (default `console.log`). */
  print?: (line: string) => void;
  /**
   * Called as each tasklet starts, after every kick and as each tasklet ends, with the
   * counts so far (the CLI's progress bar reads it). Given, it also makes the circle form
   * in slices of `FORMING_SLICE` players with a host turn between them, so that a timer
   * (the bar's) runs while a million players are created rather than after.
   */
  onProgress?: (kicks: number, finished: number, started: number) => void;
}

/** Players created between two host turns while the circle forms, when progress is watched. */
const FORMING_SLICE = 16384;

type Sack = { from: number } | 'exit';

/**
 * Plays one game.
 *
 * @example
 * ```ts
 * const r = await runit(100, 1000, { seed: 1 });
 * console.log(r.kicks, r.finished); // 1000 101
 * ```
 */
export async function runit(players = 10000, turns = 1000, options: GameOptions = {}): Promise<GameResult> {
  if (!Number.isInteger(players) || players < 1) throw new RangeError(`runit(): players must be an integer >= 1, received ${players}`);
  if (!Number.isInteger(turns) || turns < 1) throw new RangeError(`runit(): turns must be an integer >= 1, received ${turns}`);
  const seed = options.seed ?? Date.now() >>> 0;
  const rand = random(seed);
  const verbose = options.verbose ?? false;
  const print = options.print ?? ((line: string) => console.log(line));
  const onProgress = options.onProgress;
  const start = performance.now();

  const n = players + 1;
  const channels: Channel<Sack>[] = new Array(n);
  let kicks = 0;
  let finished = 0;
  let started = 0;

  const player = tasklet(async (me: number) => {
    if (onProgress !== undefined) onProgress(kicks, finished, ++started);
    const own = channels[me];
    for (;;) {
      const sack = await own.receive();
      if (sack === 'exit') break;
      let to = (rand() * n) | 0;
      while (to === me) to = (rand() * n) | 0;
      if (verbose) print(`${me} got hackysack from ${sack.from}, kicking to ${to}`);
      ++kicks;
      if (onProgress !== undefined) onProgress(kicks, finished, started);
      if (kicks === turns) {
        // The last kick: everyone else is told to stop, then this player leaves too.
        for (let i = 0; i < n; i++) if (i !== me) await channels[i].send('exit');
        break;
      }
      await channels[to].send({ from: me });
    }
    finished++;
    if (onProgress !== undefined) onProgress(kicks, finished, started);
  });

  if (onProgress === undefined) {
    for (let i = 0; i < n; i++) channels[i] = new Channel<Sack>({ name: `player ${i}` });
    for (let i = 0; i < n; i++) player(i);
  } else {
    // The same circle, a slice at a time: players created so far start (and park on their
    // own channel) between slices. The sack is sent only once all are there, so the game
    // is the same kick for kick.
    for (let i = 0; i < n; i++) {
      channels[i] = new Channel<Sack>({ name: `player ${i}` });
      player(i);
      if (i % FORMING_SLICE === FORMING_SLICE - 1) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  await channels[0].send({ from: 0 });
  await run();

  const usage = typeof process !== 'undefined' && typeof process.resourceUsage === 'function' ? process.resourceUsage() : undefined;
  return {
    players,
    turns,
    kicks,
    finished,
    ms: performance.now() - start,
    peakRssMB: usage === undefined ? undefined : Math.round(usage.maxRSS / 1024),
    seed,
  };
}

export const USAGE = `usage: hackysack [--players N] [--turns N] [--seed N] [--verbose] [--trace FILE]
  --players N   players in the circle besides the first (default 10000)
  --turns N     kicks before everyone is told to exit (default 1000)
  --seed N      seeds the random kicks, so a game can be replayed exactly
  --verbose     prints every kick
  --trace FILE  records the game as a Chrome trace (open it in ui.perfetto.dev)`;

/** Parses the command line; returns an error message for bad flags. */
export function parseArgs(argv: readonly string[]): { players: number; turns: number; seed?: number; verbose: boolean; trace?: string } | string {
  const out: { players: number; turns: number; seed?: number; verbose: boolean; trace?: string } = { players: 10000, turns: 1000, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--verbose') {
      out.verbose = true;
      continue;
    }
    if (flag === '--help' || flag === '-h') return '';
    if (flag === '--trace') {
      out.trace = inline ?? argv[++i];
      if (out.trace === undefined || out.trace === '') return '--trace needs a file name';
      continue;
    }
    if (flag !== '--players' && flag !== '--turns' && flag !== '--seed') return `unknown argument: ${arg}`;
    const text = inline ?? argv[++i];
    if (text === undefined) return `${flag} needs a value`;
    const value = Number(text);
    const min = flag === '--seed' ? 0 : 1;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) return `${flag} needs an integer >= ${min}, received ${JSON.stringify(text)}`;
    if (flag === '--players') out.players = value;
    else if (flag === '--turns') out.turns = value;
    else out.seed = value;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args !== '') console.error(`hackysack: ${args}`);
    console.error(USAGE);
    process.exit(args === '' ? 0 : 2);
  }
  const trace = args.trace === undefined ? undefined : startTrace();
  const r = await runit(args.players, args.turns, { seed: args.seed, verbose: args.verbose });
  if (trace !== undefined) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(args.trace!, JSON.stringify(trace.stop().toJSON()));
    console.error(`hackysack: trace written to ${args.trace} (open it in https://ui.perfetto.dev)`);
  }
  console.log(
    `hackysack: ${r.players.toLocaleString('en-US')} players, ${r.turns.toLocaleString('en-US')} turns: ` +
      `${r.kicks.toLocaleString('en-US')} kicks, ${r.finished.toLocaleString('en-US')} tasklets finished, ` +
      `${r.ms.toFixed(1)} ms, peak RSS ${r.peakRssMB ?? '?'} MB (seed ${r.seed})`,
  );
}

const invoked = typeof process !== 'undefined' && process.argv[1] !== undefined && /hackysack\.[cm]?[tj]s$/.test(process.argv[1]);
if (invoked) void main();
