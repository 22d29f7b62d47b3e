/**
 * A small hackysack game, kick by kick: 3 players besides the first, 6 kicks, seed 1.
 * The same seed replays the same game. The full game is examples/hackysack.ts.
 *
 *   npx tsx examples/hackysack-small.ts
 */
import { runit } from './hackysack';

export async function main(): Promise<void> {
  const r = await runit(3, 6, { seed: 1, verbose: true }); // verbose: one line per kick
  console.log(`${r.kicks} kicks, ${r.finished} tasklets finished`);
}

if (/hackysack-small\.ts$/.test(process.argv[1] ?? '')) void main();
