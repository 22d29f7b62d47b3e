/** The core (`tasklets`) uses nothing Node-only; only lib/node.ts (`tasklets/node`) and lib/node/ may. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const lib = join(__dirname, '..', 'lib');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no core file imports a node: module or touches process/require/Buffer', () => {
  const offenders: string[] = [];
  for (const file of files(lib)) {
    const name = relative(lib, file);
    if (name === 'node.ts' || name.startsWith(`node${sep}`)) continue; // the tasklets/node entry and its parts
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may mention them
    if (/from '(node:|fs|events|stream|timers)/.test(code) || /\b(process|require|Buffer)\s*[.(]/.test(code)) offenders.push(name);
  }
  expect(offenders).toEqual([]);
});

test('lib/node.ts is reachable only through its own entry, not from lib/index.ts', () => {
  const index = readFileSync(join(lib, 'index.ts'), 'utf8') + readFileSync(join(lib, 'toolbox', 'index.ts'), 'utf8');
  expect(index).not.toMatch(/from '\.\.?\/node'/);
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  expect(pkg.exports['./node']).toEqual({ types: './dist/node.d.ts', import: './dist/node.js', require: './dist/node.cjs' });
});
