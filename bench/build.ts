/**
 * The benchmarks measure the library as users get it: the bundle in dist/, built from
 * lib/ by rollup (one module scope), not lib/'s TypeScript modules run through tsx,
 * whose module interop turns every cross-module reference into a property lookup —
 * under callgrind that added 80% to the instructions of a tasklet's whole life
 * (created, started, parked, woken, finished). Each suite builds once before it starts.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm run build` (a few seconds), so dist/ is lib/ as it is now. */
export function buildLibrary(): void {
  console.error('bench: building dist/ from lib/ (npm run build)');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    process.stderr.write((e as { stderr?: Buffer }).stderr ?? '');
    throw e;
  }
}
