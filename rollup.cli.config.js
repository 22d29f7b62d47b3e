// Builds the `tasklets` command: cli/tasklets.ts (with examples/hackysack.ts) into
// dist/cli.js, an executable ESM file that imports the library from ./index.node.mjs —
// what `import 'tasklets'` gets under Node: the one implementation of the process, with
// the exit check — rather than carrying a second copy of it. Run after rollup.config.js
// (`npm run build`). `--workers` imports tasklets/worker the same way (./worker.mjs, which
// shares index.node.mjs's Channel class), and the game's threads run dist/cli.js itself.
import typescript from '@rollup/plugin-typescript';

const library = /[\\/]lib[\\/](index|worker)(\.ts)?$/;

export default {
  input: 'cli/tasklets.ts',
  // A type error fails the build (tsconfig.cli.json sets noEmitOnError), and so does any
  // other warning of @rollup/plugin-typescript, as in rollup.config.js.
  onwarn(warning, warn) {
    if (warning.plugin === 'typescript') throw Object.assign(new Error(`${warning.message} (a warning of @rollup/plugin-typescript fails the build)`), { cause: warning });
    warn(warning);
  },
  external: (id) => id.startsWith('node:') || library.test(id),
  output: {
    file: 'dist/cli.js',
    format: 'es',
    banner: '#!/usr/bin/env node',
    paths: (id) => (library.test(id) ? (/worker(\.ts)?$/.test(id) ? './worker.mjs' : './index.node.mjs') : id),
  },
  plugins: [typescript({ tsconfig: './tsconfig.cli.json' })],
};
