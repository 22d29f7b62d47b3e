// Builds the library (docs/packaging.md has the whole layout and the why):
//
// - ESM for browsers, Deno and bundlers: one file per module of lib/ (dist/index.js,
//   dist/channel.js, dist/loop.js, dist/toolbox/…), so that a bundler honouring
//   `sideEffects: false` drops every module a program does not use. (One shared chunk
//   left it only statement-level tree-shaking, which keeps whatever it cannot prove
//   pure: a Channel-only program paid for tasklets and deadlock reports.) Nothing
//   Node-only is in it.
// - CJS, the one implementation Node runs: dist/index.cjs (the core), dist/index.node.cjs
//   (the core plus the exit check: `tasklets` under Node), dist/node.cjs (`tasklets/node`),
//   dist/worker.cjs (`tasklets/worker`), sharing chunks. Under Node, `import` gets an ESM
//   face of the same .cjs file (dist/index.node.mjs, dist/node.mjs, dist/worker.mjs: a few
//   lines of `export { … } from './x.cjs'`), so a process that mixes `import` and `require`
//   has one run loop and one `Channel` class. The faces are written below from the names
//   each CJS entry exports.
// - Types: one bundled declaration file per entry, in CommonJS form (dist/index.d.cts,
//   dist/node.d.cts, dist/worker.d.cts), for `require`; the ESM types (dist/index.d.ts,
//   dist/node.d.ts, dist/worker.d.ts) are `export * from './x.cjs'`, so both module systems
//   see the same declarations — one `Channel` type, as there is one `Channel` class.
//
// Type-checked as it builds, and a type error fails the build: the ESM build (the core)
// against tsconfig.build.json — lib ES2022, no DOM, no @types/node: what proves the core
// browser- and Deno-safe — and the CommonJS build, which holds the Node entries, against
// tsconfig.build.node.json (with @types/node). Both set `noEmitOnError`, so
// @rollup/plugin-typescript raises a type error instead of printing it as a warning;
// `failOnTypeScriptWarning` turns whatever else that plugin would print into an error too.
import { relative } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// `nats` (the peer dependency of tasklets/nats) is only ever imported for its types.
const external = [/^node:/, /^nats$/];

/** Rollup's `onwarn`: a warning of @rollup/plugin-typescript fails the build; others print as usual. */
function failOnTypeScriptWarning(warning, warn) {
  if (warning.plugin === 'typescript') throw Object.assign(new Error(`${warning.message} (a warning of @rollup/plugin-typescript fails the build)`), { cause: warning });
  warn(warning);
}

/**
 * The Node-only subpath entries (`tasklets/node`, `tasklets/worker`): name → source. Each
 * is built to dist/<name>.cjs with its ESM face dist/<name>.mjs, and types dist/<name>.d.cts
 * with dist/<name>.d.ts; package.json's exports map gives it `import` and `require` the
 * same way as `./node`.
 */
const nodeEntries = { node: 'lib/node.ts', worker: 'lib/worker.ts', nats: 'lib/nats.ts' };
const lib = new URL('./lib/', import.meta.url).pathname;
const isIndex = (id) => /lib[\\/]index(\.ts)?$/.test(id);
/**
 * A module of the core, as a Node entry's declarations see it: any file of lib/ but the
 * Node-only ones. Their public types are the core's, so a Node entry's .d.cts imports
 * them from index.d.cts instead of declaring a second, incompatible `Channel`. But for
 * base/dispose.ts: index.d.cts keeps its symbols to itself, and they are typed as the global
 * well-known symbols (`typeof Symbol.asyncDispose`), so an entry's own copy is the same type.
 */
const isCore = (id) => {
  if (!id.startsWith(lib)) return false;
  const rel = relative(lib, id).replace(/\\/g, '/');
  return !(
    rel === 'base/dispose.ts' ||
    rel === 'node.ts' ||
    rel === 'worker.ts' ||
    rel === 'nats.ts' ||
    rel === 'index.node.ts' ||
    rel.startsWith('node/') ||
    rel.startsWith('worker/') ||
    rel.startsWith('nats/')
  );
};

/**
 * The CommonJS build keeps the run loop, the channel and what their hot paths call in one
 * chunk. Left to itself, rollup moved base/errors and base/validate into a chunk of their
 * own once tasklets/nats (which uses them without the loop) became an entry, and every
 * call from the loop's chunk into them went through the other chunk's exports object:
 * ping-pong measured 2,419–2,426 instructions per hand-off against 2,234–2,306 before.
 */
function coreChunk(id) {
  if (!id.startsWith(lib)) return undefined;
  const rel = relative(lib, id).replace(/\\/g, '/');
  return /^(base|host|core|channel|select|run)\//.test(rel) || rel === 'inspect/wrap.ts' || rel === 'inspect/bus.ts' ? 'core' : undefined;
}

/** The ESM chunk of a module of lib/: its own path (`toolbox/merge`), but for the entry. */
function moduleChunk(id) {
  if (!id.startsWith(lib) || !id.endsWith('.ts')) return undefined;
  const rel = relative(lib, id).replace(/\\/g, '/').replace(/\.ts$/, '');
  return rel === 'index' ? undefined : rel;
}

/** Writes dist/x.mjs, the ESM face of each Node entry dist/x.cjs: its exports, re-exported by name. */
function esmFaces(entries) {
  return {
    name: 'esm-faces',
    generateBundle(options, bundle) {
      if (options.format !== 'cjs') return;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry || !entries.includes(chunk.name)) continue;
        const names = chunk.exports.filter((n) => n !== 'default' && n !== '__esModule');
        if (names.length === 0) throw new Error(`esm-faces: ${chunk.fileName} exports nothing`);
        this.emitFile({
          type: 'asset',
          fileName: `${chunk.name}.mjs`,
          source:
            `// The ESM face of ./${chunk.fileName} for Node's \`import\`: the same module as \`require\` gets,\n` +
            `// so one process has one run loop whatever mix of import and require it uses.\n` +
            `export {\n${names.map((n) => `  ${n},\n`).join('')}} from './${chunk.fileName}';\n`,
        });
      }
    },
  };
}

/** Writes dist/x.d.ts, the ESM types of an entry whose declarations are in dist/x.d.cts. */
function esmTypes(name) {
  return {
    name: 'esm-types',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: `${name}.d.ts`,
        source: `// The declarations are in ./${name}.d.cts, shared by import and require (one implementation).\nexport * from './${name}.cjs';\n`,
      });
    },
  };
}

export default [
  {
    input: { index: 'lib/index.ts' },
    external,
    onwarn: failOnTypeScriptWarning,
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name].js', manualChunks: moduleChunk },
    // filterRoot: the plugin keeps only files under `rootDir` (lib/) by default, and would
    // drop types/host-globals.d.ts, the host globals tsconfig.build.json allows the core.
    plugins: [typescript({ tsconfig: './tsconfig.build.json', filterRoot: '.' })],
  },
  {
    input: { index: 'lib/index.ts', 'index.node': 'lib/index.node.ts', ...nodeEntries },
    external,
    onwarn: failOnTypeScriptWarning,
    output: { dir: 'dist', format: 'cjs', sourcemap: true, exports: 'named', entryFileNames: '[name].cjs', chunkFileNames: 'shared-[hash].cjs', manualChunks: coreChunk },
    plugins: [typescript({ tsconfig: './tsconfig.build.node.json' }), esmFaces(['index.node', ...Object.keys(nodeEntries)])],
  },
  {
    input: { index: 'lib/index.ts' },
    external,
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.cts' },
    plugins: [dts({ tsconfig: './tsconfig.build.json' }), esmTypes('index')],
  },
  // Each Node entry's .d.cts imports the public types from index.d.cts rather than copying them.
  ...Object.entries(nodeEntries).map(([name, source]) => ({
    input: { [name]: source },
    external: (id) => id.startsWith('node:') || id === 'nats' || isIndex(id) || isCore(id),
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.cts', paths: (id) => (isIndex(id) || isCore(id) ? './index.cjs' : id) },
    plugins: [dts({ tsconfig: './tsconfig.build.node.json' }), esmTypes(name)],
  })),
];
