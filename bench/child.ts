/**
 * One benchmark run in its own process: `node --import tsx bench/child.ts IMPL CASE`.
 *
 * Runs the case once, checks its result, and prints one JSON line on stdout:
 * `{"ms": …, "rssMB": …}` (the peak resident set of this process, from
 * `process.resourceUsage().maxRSS`), with `"bytesPerParty": …` for a parked case (run
 * with the flags the case asks for, `--expose-gc`), or `{"error": "…"}` when the run
 * failed its check.
 */
import { parseCase, type Measured } from './cases';
import type { Workloads } from './common';

async function main(): Promise<void> {
  const [implName, caseId] = process.argv.slice(2);
  const c = caseId === undefined ? undefined : parseCase(caseId);
  if (implName === undefined || c === undefined) {
    console.error('usage: node --import tsx bench/child.ts IMPL CASE');
    process.exit(2);
  }
  const { workloads } = (await import(`./impl/${implName}.ts`)) as { workloads: Workloads };
  const start = performance.now();
  let measured: Measured | void;
  try {
    measured = await c.run(workloads);
  } catch (e) {
    console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
    process.exit(1);
  }
  const ms = measured?.ms ?? performance.now() - start;
  const rssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(measured === undefined ? { ms, rssMB } : { ms, rssMB, bytesPerParty: measured.bytesPerParty }));
  // Peers may leave timers or parked parties behind; the measurement is done.
  process.exit(0);
}

void main();
