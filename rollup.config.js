// Builds the library: ESM and CJS bundles and one bundled .d.ts for each entry —
// `tasklets` (lib/index.ts, browser-safe) and `tasklets/node` (lib/node.ts, Node-only).
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const external = [/^node:/];

export default [
  {
    input: { index: 'lib/index.ts', node: 'lib/node.ts' },
    external,
    output: [
      { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
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
