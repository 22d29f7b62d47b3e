// Builds the library: ESM and CJS bundles and one bundled .d.ts for each entry —
// `tasklets` (lib/index.ts, browser-safe) and `tasklets/node` (lib/node.ts, Node-only).
//
// ESM: one file per module of lib/ (dist/channel.js, dist/loop.js, dist/toolbox/…), so
// that a bundler honouring `sideEffects: false` drops every module a program does not
// use. (One shared chunk left it only statement-level tree-shaking, which keeps whatever
// it cannot prove pure: a Channel-only program paid for tasklets and deadlock reports.)
// lib/node.ts and lib/node/ — the modules with load-time effects, which package.json
// lists under `sideEffects` — stay together in dist/node.js, which imports the core's
// own files: both entries share one loop and one `Channel` class.
// CJS is tree-shaken by no one: two entries and one shared chunk.
import { relative } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const external = [/^node:/];
const lib = new URL('./lib/', import.meta.url).pathname;

/** The ESM chunk of a module of lib/: its own path (`toolbox/merge`), but for the entries and lib/node/. */
function moduleChunk(id) {
  if (!id.startsWith(lib) || !id.endsWith('.ts')) return undefined;
  const rel = relative(lib, id).replace(/\\/g, '/').replace(/\.ts$/, '');
  return rel === 'index' || rel === 'node' || rel.startsWith('node/') ? undefined : rel;
}

export default [
  {
    input: { index: 'lib/index.ts', node: 'lib/node.ts' },
    external,
    output: [
      { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: '[name].js', manualChunks: moduleChunk },
      { dir: 'dist', format: 'cjs', sourcemap: true, exports: 'named', entryFileNames: '[name].cjs', chunkFileNames: 'shared-[hash].cjs' },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.build.json' })],
  },
  {
    input: 'lib/index.ts',
    external,
    output: { file: 'dist/index.d.ts', format: 'es' },
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
  {
    input: 'lib/node.ts',
    // node.d.ts imports the public types from index.d.ts rather than copying them
    external: (id) => id.startsWith('node:') || /lib[\\/]index(\.ts)?$/.test(id),
    output: { file: 'dist/node.d.ts', format: 'es', paths: (id) => (/lib[\\/]index(\.ts)?$/.test(id) ? './index.js' : id) },
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  },
];
