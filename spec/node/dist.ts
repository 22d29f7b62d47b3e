/**
 * Specs that load the package as users get it — by its name, through package.json's
 * `exports`, from the built dist/ — run the programs of spec/fixtures/package/ in child
 * Nodes (no tsx: plain Node resolution). `ensureDist()` builds dist/ first when it is
 * missing or older than lib/, the rollup config or package.json, once at a time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    t = Math.max(t, f.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function builtAt(): number {
  try {
    return Math.min(...['index.node.cjs', 'index.node.mjs', 'node.mjs', 'worker.mjs', 'index.js'].map((f) => statSync(path.join(root, 'dist', f)).mtimeMs));
  } catch {
    return 0;
  }
}

/** Builds dist/ (`npm run build`) unless it is newer than every source it comes from. */
export function ensureDist(): void {
  const sources = () => Math.max(newest(path.join(root, 'lib')), ...['rollup.config.js', 'package.json'].map((f) => statSync(path.join(root, f)).mtimeMs));
  if (builtAt() > sources()) return;
  // Two spec files may ask at once: one builds, the other waits for its lock to go.
  const lock = path.join(root, 'dist.build-lock');
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true }); // left by a killed run
      else execFileSync('sleep', ['0.2']);
      if (Date.now() - start > 180_000) throw new Error('ensureDist(): waited 3 minutes for another build');
    }
  }
  try {
    if (builtAt() <= sources()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs spec/fixtures/package/`name` with plain `node`: its exit code, stdout and stderr. */
export function runPackageFixture(name: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(__dirname, '..', 'fixtures', 'package', name);
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: root, timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}
