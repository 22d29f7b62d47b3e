/**
 * Where one benchmark run spends its time: runs a case in a child under `node --cpu-prof`
 * and prints the functions with the most self time.
 *
 *   npx tsx bench/profile.ts IMPL CASE [TOP] [INTERVAL_US]
 *   e.g. npx tsx bench/profile.ts tasklets pingpong-1000000 25 100
 *
 * The profile itself is kept (its path is printed) for Chrome DevTools or speedscope.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLibrary } from './build';
import { parseCase } from './cases';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function main(): void {
  const [impl, caseId, topText, intervalText] = process.argv.slice(2);
  if (impl === undefined || caseId === undefined) {
    console.error('usage: npx tsx bench/profile.ts IMPL CASE [TOP] [INTERVAL_US]');
    process.exit(2);
  }
  if (impl === 'tasklets') buildLibrary();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tasklets-profile-'));
  const flags = parseCase(caseId)?.nodeFlags ?? [];
  const out = execFileSync(
    process.execPath,
    [...flags, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${Number(intervalText ?? 1000)}`, '--import', 'tsx', 'bench/child.ts', impl, caseId],
    { cwd: ROOT, encoding: 'utf8' },
  );
  console.log(`${impl} ${caseId}: ${out.trim()}`);
  const file = path.join(dir, readdirSync(dir)[0]);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

  // Self samples per function (the same function appears once per distinct call path).
  const self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.startsWith('file:') ? path.relative(ROOT, fileURLToPath(url)) : url;
    const where = file === '' ? '' : ` ${file}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + hits);
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topText ?? 25));
  console.log(`self time, share of ${total} samples:`);
  for (const [name, hits] of top) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  console.log(`profile: ${file}`);
}

main();
