/**
 * The core (`tasklets`) uses nothing Node-only; only lib/node.ts (`tasklets/node`),
 * lib/node/ and lib/index.node.ts, which is `tasklets` under Node (the core plus the exit
 * check), may. package.json sends only the `node` condition there: browsers,
 * Deno and bundlers get the core alone.
 */
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
    if (name === 'node.ts' || name === 'index.node.ts' || name.startsWith(`node${sep}`)) continue; // the Node entries and their parts
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may mention them
    if (/from '(node:|fs|events|stream|timers)/.test(code) || /\b(process|require|Buffer)\s*[.(]/.test(code)) offenders.push(name);
  }
  expect(offenders).toEqual([]);
});

test('lib/node.ts and lib/node/ are reachable only through their own entries, not from lib/index.ts', () => {
  const index = readFileSync(join(lib, 'index.ts'), 'utf8') + readFileSync(join(lib, 'toolbox', 'index.ts'), 'utf8');
  expect(index).not.toMatch(/from '\.\.?\/node(\/|')/);
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  expect(pkg.exports['./node']).toEqual({
    import: { types: './dist/node.d.ts', default: './dist/node.mjs' },
    require: { types: './dist/node.d.cts', default: './dist/node.cjs' },
  });
});

test('only the node condition of `tasklets` leads to the Node entry; browser, deno and default get the core', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  const { import: esm, require: cjs } = pkg.exports['.'];
  // Deno and some bundlers also match `node`, so `browser` and `deno` come before it.
  expect(Object.keys(esm)).toEqual(['types', 'browser', 'deno', 'node', 'default']);
  expect(Object.keys(cjs)).toEqual(['types', 'browser', 'deno', 'node', 'default']);
  expect([esm.browser, esm.deno, esm.default, esm.node]).toEqual(['./dist/index.js', './dist/index.js', './dist/index.js', './dist/index.node.mjs']);
  expect([cjs.browser, cjs.deno, cjs.default, cjs.node]).toEqual(['./dist/index.cjs', './dist/index.cjs', './dist/index.cjs', './dist/index.node.cjs']);
  // lib/index.node.ts is the core and the exit check, nothing more: the hot-path parts
  // (the tasklet-local context, diagnostics) stay behind tasklets/node.
  const core = readFileSync(join(lib, 'index.node.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  expect(core.match(/^(import|export).*$/gm)).toEqual(["import './node/exit';", "export * from './index';"]);
});

test('the core is type-checked with lib ES2022 and no ambient types but its host globals; the Node files with @types/node', () => {
  const root = join(__dirname, '..');
  const read = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));
  const core = read('tsconfig.build.json');
  expect(core.compilerOptions).toMatchObject({ lib: ['ES2022'], types: [], noEmitOnError: true });
  expect(core.files).toEqual(['types/host-globals.d.ts']);
  expect(core.exclude).toEqual(['lib/node.ts', 'lib/index.node.ts', 'lib/node']);
  const node = read('tsconfig.build.node.json');
  expect(node.compilerOptions).toMatchObject({ lib: ['ES2022'], types: ['node'], noEmitOnError: true });
  expect(node.include).toEqual(['lib/node.ts', 'lib/index.node.ts', 'lib/node']);
  const scripts = read('package.json').scripts;
  expect(scripts.typecheck).toContain('tsc --noEmit -p tsconfig.build.json');
  expect(scripts.typecheck).toContain('tsc --noEmit -p tsconfig.build.node.json');
  // The ESM build is the core alone, checked by tsconfig.build.json; the CommonJS build holds the Node entries.
  const rollup = readFileSync(join(root, 'rollup.config.js'), 'utf8');
  expect(rollup.match(/typescript\(\{ tsconfig: '[^']+'/g)).toEqual(["typescript({ tsconfig: './tsconfig.build.json'", "typescript({ tsconfig: './tsconfig.build.node.json'"]);
  expect(rollup.match(/onwarn: failOnTypeScriptWarning/g)).toHaveLength(2);
});
