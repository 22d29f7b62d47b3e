/**
 * `tasklets` under Node: the core (lib/index.ts) exactly as browsers get it, plus the
 * exit check (lib/node/exit.ts), which importing this module turns on — so a Node
 * program that imports only `tasklets` never exits in silence with parties parked.
 * package.json's exports map sends Node's `require('tasklets')` here (dist/index.node.cjs)
 * and its `import` to the ESM face of that same file (dist/index.node.mjs): one loop per
 * process. Browsers, Deno and bundlers get lib/index.ts itself. Nothing else of
 * `tasklets/node` comes on by itself: the tasklet-local context and the diagnostics
 * events cost on the hot path and stay behind `import 'tasklets/node'`, which is also
 * where `setExitCheck` is exported. See docs/packaging.md.
 *
 * @module tasklets
 */
import './node/exit';

export * from './index';
