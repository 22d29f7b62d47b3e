#!/usr/bin/env node
// Bundle sizes (`npm run size`): bundles small programs that import `tasklets` the way a
// user's bundler would — through the package's exports map and `sideEffects: false`,
// from the built dist/ (run `npm run build` first) — minifies them with esbuild and
// gzips them (zlib, level 9). The first row is the core entry whole; the others show
// what tree-shaking leaves of it. Budget: the core entry ≤ 6 KB gzipped.
//
//   npm run size              print the table
//   npm run size -- --json    the same as JSON
//   npm run size -- --check   exit 1 if the core is over budget or a check below fails
//
// Also checked: a bare `import 'tasklets'` bundles to nothing (sideEffects: false), and
// no program bundled for the browser pulls in a `node:` module. Bundled for Node
// (`platform: 'node'`, the `node` condition), `tasklets` is the one CommonJS
// implementation with the exit check, whole (CommonJS is not tree-shaken): shown apart,
// outside the budget, and a bare import there must keep the exit check.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET = 6 * 1024;

/** The programs measured: a name and the source of its entry. */
const programs = [
  ['core entry (everything `tasklets` exports)', "export * from 'tasklets';"],
  ['only Channel', "import { Channel } from 'tasklets'; export default new Channel();"],
  ['Channel, tasklet, run (hackysack)', "import { Channel, run, tasklet } from 'tasklets'; export { Channel, run, tasklet };"],
  ['… + select, after (timeouts)', "export { Channel, run, tasklet, select, after } from 'tasklets';"],
  [
    'the toolbox alone (merge, pipeline, mult, pub, ticker, …)',
    "export { Broadcast, fromIterable, merge, mult, pipeline, pub, PubSub, ticker, Ticker, withTimeout } from 'tasklets';",
  ],
  [
    "SPEC.md's whole surface (tasklets, channels, select, time, errors)",
    "export { tasklet, Tasklet, schedule, run, getCurrent, getRunCount, Channel, select, trySelect, sleep, after, ChannelClosedError, DeadlockError, TaskletExit } from 'tasklets';",
  ],
];

async function bundle(dir, contents, platform = 'browser') {
  const r = await build({
    stdin: { contents, resolveDir: dir, loader: 'js', sourcefile: 'entry.js' },
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const code = r.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs: Object.keys(r.metafile.inputs) };
}

async function main() {
  const args = process.argv.slice(2);
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('no dist/index.js: run `npm run build` first');
  // A scratch project whose node_modules/tasklets is this package, so resolution goes
  // through package.json (exports, sideEffects) exactly as in a user's project.
  const dir = mkdtempSync(join(tmpdir(), 'tasklets-size-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'tasklets'), 'dir');
    const rows = [];
    for (const [name, source] of programs) rows.push({ name, ...(await bundle(dir, source)) });
    const bare = await bundle(dir, "import 'tasklets';");
    const forNode = await bundle(dir, "export { Channel, run, tasklet } from 'tasklets';", 'node');
    const bareForNode = await bundle(dir, "import 'tasklets';", 'node');
    const failures = [];
    if (bare.min !== 0) failures.push(`a bare \`import 'tasklets'\` bundles to ${bare.min} bytes, not nothing: sideEffects: false does not hold`);
    if (!bareForNode.inputs.some((i) => /index\.node\.cjs$/.test(i)) || !bareForNode.inputs.some((i) => /index\.node\.mjs$/.test(i)) || bareForNode.min === 0) {
      failures.push("a bare `import 'tasklets'` bundled for Node lost the Node entry and its exit check");
    }
    for (const r of rows) {
      const node = r.inputs.filter((i) => i.startsWith('node:'));
      if (node.length > 0) failures.push(`${r.name} pulls in ${node.join(', ')}`);
    }
    const core = rows[0];
    if (core.gzip > BUDGET) failures.push(`the core entry is ${kb(core.gzip)} gzipped, over the ${kb(BUDGET)} budget by ${kb(core.gzip - BUDGET)}`);

    if (args.includes('--json')) {
      const node = { min: forNode.min, gzip: forNode.gzip };
      console.log(JSON.stringify({ budget: BUDGET, rows: rows.map(({ inputs, ...r }) => r), bareImport: bare.min, bundledForNode: node, failures }, null, 2));
    } else {
      const w = Math.max(...rows.map((r) => r.name.length));
      console.log(`${'program'.padEnd(w)}  ${'minified'.padStart(9)}  ${'+ gzip'.padStart(8)}`);
      for (const r of rows) console.log(`${r.name.padEnd(w)}  ${kb(r.min).padStart(9)}  ${kb(r.gzip).padStart(8)}`);
      console.log(`\nbare \`import 'tasklets'\`: ${bare.min} bytes (sideEffects: false)`);
      console.log(`bundled for Node (the CommonJS implementation, whole, with the exit check): ${kb(forNode.min)} minified, ${kb(forNode.gzip)} gzipped`);
      console.log(`budget: core ≤ ${kb(BUDGET)} gzipped: ${core.gzip <= BUDGET ? 'within' : `OVER by ${kb(core.gzip - BUDGET)}`}`);
      for (const f of failures) console.log(`! ${f}`);
    }
    if (args.includes('--check') && failures.length > 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
