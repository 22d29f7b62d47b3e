/**
 * The core (`tasklets`) uses nothing Node-only; only the Node-only files may: lib/node.ts
 * (`tasklets/node`) and lib/node/, lib/worker.ts (`tasklets/worker`, channels across
 * worker threads) and lib/worker/, lib/nats.ts (`tasklets/nats`, channels on NATS) and
 * lib/nats/, and lib/index.node.ts, which is `tasklets` under Node
 * (the core plus the exit check). package.json sends only the `node` condition of
 * `tasklets` there, and the Node-only subpaths have nothing but Node's `import` and
 * `require`: browsers, Deno and bundlers get the core alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');
const lib = join(root, 'lib');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The Node-only subpaths of the package: `tasklets/<name>` is lib/<name>.ts, its parts are in lib/<name>/. */
const NODE_SUBPATHS = ['node', 'worker', 'nats'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Whether a file of lib/ (relative to lib/) is Node-only: a Node entry or one of its parts. */
function isNodeOnly(name: string): boolean {
  return name === 'index.node.ts' || NODE_SUBPATHS.some((n) => name === `${n}.ts` || name.startsWith(`${n}${sep}`));
}

/** Every file of lib/ that `entry` reaches through relative imports, its own included (relative to lib/). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    // TypeScript's own scan: imports, `export … from`, `import('…')`; not what comments and strings mention.
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      const candidates = [target, `${target}.ts`, join(target, 'index.ts')];
      const found = candidates.find((c) => c.endsWith('.ts') && statSync(c, { throwIfNoEntry: false })?.isFile());
      if (found === undefined) throw new Error(`${relative(lib, file)} imports ${fileName}, which is no file of lib/`);
      visit(found);
    }
  };
  visit(join(lib, entry));
  return [...seen].map((f) => relative(lib, f)).sort();
}

test('no core file imports a node: module or touches process/require/Buffer', () => {
  const offenders: string[] = [];
  for (const file of files(lib)) {
    const name = relative(lib, file);
    if (isNodeOnly(name)) continue; // the Node entries and their parts
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // comments may mention them
    if (/from '(node:|fs|events|stream|timers|worker_threads)/.test(code) || /\b(process|require|Buffer)\s*[.(]/.test(code)) offenders.push(name);
  }
  expect(offenders).toEqual([]);
});

test('the Node-only files are reachable only through their own entries, not from lib/index.ts', () => {
  // The walk works: each Node entry reaches its own parts.
  expect(reachable('node.ts')).toEqual(expect.arrayContaining(['node.ts', join('node', 'exit.ts'), 'index.ts']));
  expect(reachable('worker.ts')).toEqual(expect.arrayContaining(['worker.ts', join('worker', 'errors.ts')]));
  expect(reachable('nats.ts')).toEqual(expect.arrayContaining(['nats.ts', join('nats', 'channel.ts')]));
  expect(reachable('index.node.ts')).toEqual(expect.arrayContaining(['index.ts', join('node', 'exit.ts')]));
  // The core reaches none of them, however many files it takes to get there.
  const core = reachable('index.ts');
  expect(core.length).toBeGreaterThan(30);
  expect(core.filter(isNodeOnly)).toEqual([]);
});

test('each Node-only subpath has only import and require, to its own dist/<name> files, and types for node10', () => {
  expect(Object.keys(pkg.exports)).toEqual(['.', ...NODE_SUBPATHS.map((n) => `./${n}`), './package.json']);
  for (const n of NODE_SUBPATHS) {
    expect({ subpath: n, exports: pkg.exports[`./${n}`] }).toEqual({
      subpath: n,
      exports: {
        import: { types: `./dist/${n}.d.ts`, default: `./dist/${n}.mjs` },
        require: { types: `./dist/${n}.d.cts`, default: `./dist/${n}.cjs` },
      },
    });
  }
  expect(pkg.typesVersions).toEqual({ '*': Object.fromEntries(NODE_SUBPATHS.map((n) => [n, [`./dist/${n}.d.cts`]])) });
  // rollup.config.js builds each from lib/<name>.ts, as a Node entry (CommonJS, an ESM face, both forms of types).
  const rollup = readFileSync(join(root, 'rollup.config.js'), 'utf8');
  expect(/^const nodeEntries = (\{.*\});$/m.exec(rollup)?.[1]).toBe(`{ ${NODE_SUBPATHS.map((n) => `${n}: 'lib/${n}.ts'`).join(', ')} }`);
});

test('only the node condition of `tasklets` leads to the Node entry; browser, deno and default get the core', () => {
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
  const read = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));
  const core = read('tsconfig.build.json');
  expect(core.compilerOptions).toMatchObject({ lib: ['ES2022'], types: [], noEmitOnError: true });
  expect(core.files).toEqual(['types/host-globals.d.ts']);
  expect(core.exclude).toEqual(['lib/node.ts', 'lib/index.node.ts', 'lib/node', 'lib/worker.ts', 'lib/worker', 'lib/nats.ts', 'lib/nats']);
  const node = read('tsconfig.build.node.json');
  expect(node.compilerOptions).toMatchObject({ lib: ['ES2022'], types: ['node'], noEmitOnError: true });
  expect(node.include).toEqual(['lib/node.ts', 'lib/index.node.ts', 'lib/node', 'lib/worker.ts', 'lib/worker', 'lib/nats.ts', 'lib/nats']);
  const scripts = read('package.json').scripts;
  expect(scripts.typecheck).toContain('tsc --noEmit -p tsconfig.build.json');
  expect(scripts.typecheck).toContain('tsc --noEmit -p tsconfig.build.node.json');
  // The ESM build is the core alone, checked by tsconfig.build.json; the CommonJS build holds the Node entries.
  const rollup = readFileSync(join(root, 'rollup.config.js'), 'utf8');
  expect(rollup.match(/typescript\(\{ tsconfig: '[^']+'/g)).toEqual(["typescript({ tsconfig: './tsconfig.build.json'", "typescript({ tsconfig: './tsconfig.build.node.json'"]);
  expect(rollup.match(/onwarn: failOnTypeScriptWarning/g)).toHaveLength(2);
});
