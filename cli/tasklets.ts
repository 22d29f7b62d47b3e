/**
 * The `tasklets` command (package.json `bin`, built to dist/cli.js): plays Grant Olson's
 * hackysack game with examples/hackysack.ts's `runit` and `parseArgs`.
 *
 *   npx tasklets --players 100000 [--turns N] [--seed N] [--verbose] [--trace FILE]
 *
 * The summary goes to stdout; bad flags print the usage to stderr and exit 2. When
 * stderr is a terminal and the game is still going after a moment, a progress bar on
 * stderr counts kicks and finished tasklets (the loop yields to the host between
 * batches, so the bar's timer runs during the game).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, runit, USAGE } from '../examples/hackysack';
import { startTrace } from '../lib/index';

/** How long a game runs before the bar appears, and how often it is redrawn. */
const BAR_DELAY_MS = 250;
const BAR_EVERY_MS = 100;

/** One line of progress: `[#####.....]  42%  kicks 420/1,000  finished 0/10,001`. */
export function progressLine(kicks: number, turns: number, finished: number, tasklets: number, width = 30): string {
  const done = Math.min(1, (kicks + finished) / (turns + tasklets));
  const filled = Math.round(done * width);
  const n = (x: number): string => x.toLocaleString('en-US');
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(done * 100)).padStart(3)}%` +
    `  kicks ${n(kicks)}/${n(turns)}  finished ${n(finished)}/${n(tasklets)}`
  );
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args !== '') process.stderr.write(`tasklets: ${args}\n`);
    process.stderr.write(`${USAGE.replace(/^usage: hackysack/, 'usage: tasklets')}\n`);
    return args === '' ? 0 : 2;
  }

  let kicks = 0;
  let finished = 0;
  let drawn = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    drawn = true;
    process.stderr.write(`\r${progressLine(kicks, args.turns, finished, args.players + 1)}\x1b[K`);
  };
  // No bar under --verbose (the kicks are the progress) or when stderr is not a terminal.
  const bar = process.stderr.isTTY === true && !args.verbose;
  const delay = bar ? setTimeout(() => {
    draw();
    timer = setInterval(draw, BAR_EVERY_MS);
  }, BAR_DELAY_MS) : undefined;

  const trace = args.trace === undefined ? undefined : startTrace();
  try {
    const r = await runit(args.players, args.turns, {
      seed: args.seed,
      verbose: args.verbose,
      onProgress: bar ? (k, f) => { kicks = k; finished = f; } : undefined,
    });
    if (drawn) {
      draw();
      process.stderr.write('\n');
    }
    if (trace !== undefined) {
      writeFileSync(args.trace!, JSON.stringify(trace.stop().toJSON()));
      process.stderr.write(`tasklets: trace written to ${args.trace} (open it in https://ui.perfetto.dev)\n`);
    }
    const n = (x: number): string => x.toLocaleString('en-US');
    process.stdout.write(
      `hackysack: ${n(r.players)} players, ${n(r.turns)} turns: ${n(r.kicks)} kicks, ` +
        `${n(r.finished)} tasklets finished, ${r.ms.toFixed(1)} ms, peak RSS ${r.peakRssMB ?? '?'} MB (seed ${r.seed})\n`,
    );
    return r.kicks === r.turns && r.finished === r.players + 1 ? 0 : 1;
  } finally {
    trace?.stop();
    clearTimeout(delay);
    clearInterval(timer);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tasklets: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
