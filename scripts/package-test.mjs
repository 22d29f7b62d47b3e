#!/usr/bin/env node
// The packaging test (`npm run test:package`, part of `npm test`): builds the library,
// packs it with `npm pack`, installs only the tarball into a fresh temporary project
// (offline: the package has no runtime dependencies) and checks it there as users get it:
//
//   1. the tarball holds the bundles, the types and the command, and nothing it should not;
//   2. `import` (ESM) and `require` (CJS) both load it, with the same exports, and play a game;
//   3. a strict TypeScript consumer type-checks under `moduleResolution` `nodenext` and
//      `bundler`, relying on typed results (select's key narrowing, the directional views,
//      `using`), with expected errors (`@ts-expect-error`) that fail if the types were `any`;
//   4. `npx tasklets` plays hackysack, prints `--help` and `--version` on stdout, exits 2
//      with the usage on bad flags and at once on a `--trace` file it cannot write, and
//      draws its progress bar only when stderr is a terminal;
//   5. headless Chromium loads the ESM bundle from a localhost server and plays hackysack
//      there, proving the core has no Node-only imports.
//
// Chromium: $CHROMIUM, else `chromium` or `chromium-browser` on the PATH. Without one the
// test fails, unless TASKLETS_SKIP_BROWSER is set to the reason (.ci/run sets it when it
// cannot install the browser); then step 5 is skipped with that reason printed.
// KEEP_TMP=1 keeps the temporary directory for a look afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'tasklets-package-'));
const project = join(tmp, 'consumer');

/** Runs a command; returns its output; throws with everything it printed if it fails (unless `expect` says otherwise). */
function sh(cmd, args, { cwd = project, env = {}, status = 0 } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (status !== null && r.status !== status) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}, expected ${status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return r;
}

function step(name) {
  console.log(`package-test: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function main() {
  // ---- 1. build, pack, install ---------------------------------------------------------
  step('build');
  sh('npm', ['run', '--silent', 'build'], { cwd: root });
  step('pack');
  const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root }).stdout)[0];
  const files = packed.files.map((f) => f.path);
  for (const f of ['package.json', 'README.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/cli.js']) {
    assert.ok(files.includes(f), `the tarball lacks ${f}: ${files.join(', ')}`);
  }
  const stray = files.filter((f) => /^(spec|bench|scripts|examples|node_modules|docs)\//.test(f) || f.endsWith('.tgz'));
  assert.deepEqual(stray, [], 'the tarball carries files users do not need');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the package has runtime dependencies');

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  step('install the tarball into a fresh project');
  sh('npm', ['install', '--no-audit', '--no-fund', '--offline', join(tmp, packed.filename)]);
  const installed = join(project, 'node_modules', 'tasklets');
  assert.ok(existsSync(join(installed, 'dist', 'index.js')), 'the install has no dist/index.js');

  // ---- 2. ESM and CJS ------------------------------------------------------------------
  // The same small program in both module systems: a ping-pong, a select, the error classes.
  const program = (load) => `${load}
const { Channel, ChannelClosedError, DeadlockError, run, select, tasklet } = T;
const pings = new Channel({ name: 'pings' });
const pongs = new Channel({ name: 'pongs' });
const log = [];
tasklet(async () => { for (let i = 0; i < 3; i++) { await pings.send(i); log.push('pong ' + (await pongs.receive())); } pings.close(); })();
tasklet(async () => { for await (const i of pings) await pongs.send(i * 10); })();
await run();
const ch = new Channel({ capacity: 1 });
await ch.send('x');
const won = await select({ a: new Channel().receiveCase(), b: ch.receiveCase() });
ch.close();
const closed = await ch.receive().then(() => 'no error', (e) => e instanceof ChannelClosedError && e instanceof Error);
const stuck = new Channel({ name: 'stuck' });
const waiter = tasklet(async () => { await stuck.receive(); }, { name: 'waiter' })();
const deadlock = await run().then(() => 'no error', (e) => e instanceof DeadlockError && e.message.includes('waiter'));
await waiter.kill();
console.log(JSON.stringify({ exports: Object.keys(T).filter((k) => k !== 'default' && k !== '__esModule').sort(), log, won, closed, deadlock }));
`;
  writeFileSync(join(project, 'esm.mjs'), program("import * as T from 'tasklets';"));
  writeFileSync(join(project, 'cjs.cjs'), `(async () => {\n${program("const T = require('tasklets');")}\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
  const expected = {
    log: ['pong 0', 'pong 10', 'pong 20'],
    won: { key: 'b', value: 'x', done: false },
    closed: true,
    deadlock: true,
  };
  step('import as ESM');
  const esm = JSON.parse(sh('node', ['esm.mjs']).stdout);
  step('require as CJS');
  const cjs = JSON.parse(sh('node', ['cjs.cjs']).stdout);
  assert.deepEqual({ ...esm, exports: undefined }, { ...expected, exports: undefined }, 'ESM');
  assert.deepEqual({ ...cjs, exports: undefined }, { ...expected, exports: undefined }, 'CJS');
  assert.deepEqual(cjs.exports, esm.exports, 'ESM and CJS export different names');
  for (const name of ['Channel', 'tasklet', 'Tasklet', 'run', 'schedule', 'select', 'ChannelClosedError', 'DeadlockError', 'TaskletExit']) {
    assert.ok(esm.exports.includes(name), `no export ${name}`);
  }
  const pkgJson = sh('node', ['-e', "console.log(require('tasklets/package.json').name)"]).stdout.trim();
  assert.equal(pkgJson, 'tasklets');
  if (manifest.exports['./node']) {
    // The Node-only entry loads in both systems too, and shares the core's Channel class.
    const check = "const ch = N.fromReadable(Readable.from(['a'])); console.log(ch instanceof T.Channel, await ch.receive());";
    const viaImport = sh('node', ['--input-type=module', '-e', `import * as N from 'tasklets/node'; import * as T from 'tasklets'; import { Readable } from 'node:stream'; ${check}`]);
    const viaRequire = sh('node', ['-e', `const N = require('tasklets/node'), T = require('tasklets'), { Readable } = require('node:stream'); (async () => { ${check} })()`]);
    assert.equal(viaImport.stdout, 'true a\n', 'tasklets/node (ESM)');
    assert.equal(viaRequire.stdout, 'true a\n', 'tasklets/node (CJS)');
  }

  // ---- 3. strict TypeScript consumers --------------------------------------------------
  step('type-check strict consumers (nodenext, bundler)');
  writeTypeConsumers();
  for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
    const r = sh(process.execPath, [tsc, '-p', config, '--listFiles'], { status: null });
    if (r.status !== 0) throw new Error(`tsc -p ${config} failed:\n${r.stdout.split('\n').filter((l) => !l.startsWith('/')).join('\n')}${r.stderr}`);
    // It checked the installed package's bundled types, not something else.
    assert.ok(r.stdout.includes(join(installed, 'dist', 'index.d.ts')), `${config} did not use the package's index.d.ts:\n${r.stdout}`);
  }
  // The expected errors are real: the same consumer with the directives removed fails.
  const unguarded = readFileSync(join(project, 'consumer.ts'), 'utf8').replaceAll('// @ts-expect-error', '//');
  writeFileSync(join(project, 'consumer.ts'), unguarded);
  const failing = sh(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], { status: null });
  const errors = failing.stdout.match(/error TS\d+/g) ?? [];
  assert.equal(errors.length, expectedErrors, `without @ts-expect-error the consumer should fail ${expectedErrors} times:\n${failing.stdout}`);

  // ---- 4. the command ------------------------------------------------------------------
  step('npx tasklets');
  const game = sh('npx', ['--no-install', 'tasklets', '--players', '100', '--turns', '50', '--seed', '7']);
  assert.match(game.stdout, /^hackysack: 100 players, 50 turns: 50 kicks, 101 tasklets finished, [\d.]+ ms, .*\(seed 7\)\n$/);
  assert.equal(game.stderr, '', 'no progress bar when stderr is not a terminal');
  const bad = sh('npx', ['--no-install', 'tasklets', '--players', 'many'], { status: 2 });
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /tasklets: --players needs an integer >= 1, received "many"\nusage: tasklets \[--players N\]/);
  sh('npx', ['--no-install', 'tasklets', '--frobnicate'], { status: 2 });
  assert.match(sh('npx', ['--no-install', 'tasklets', '--help']).stdout, /^usage: tasklets/);
  assert.equal(sh('npx', ['--no-install', 'tasklets', '--version']).stdout, `${manifest.version}\n`);
  const trace = sh('npx', ['--no-install', 'tasklets', '--verbose', '--trace', '/nonexistent/dir/x.json'], { status: 2 });
  assert.equal(trace.stdout, '', 'a --trace file that cannot be written is refused before the game');
  if (spawnSync('script', ['--version']).status === 0) {
    // Under a pseudo-terminal (util-linux `script`) a game that lasts a moment draws the bar.
    const tty = sh('script', ['-qec', 'npx --no-install tasklets --players 150000 --turns 1000 --seed 1', '/dev/null']);
    const out = tty.stdout.replace(/\r\n/g, '\n');
    assert.match(out, /\r\[#{30}\] 100% {2}kicks 1,000\/1,000 {2}finished 150,001\/150,001/, `no finished progress bar under a terminal:\n${JSON.stringify(out.slice(-600))}`);
    assert.match(out, /\nhackysack: 150,000 players, 1,000 turns: 1,000 kicks, 150,001 tasklets finished/);
  } else {
    console.log('package-test: `script` (util-linux) is not installed; the progress bar under a terminal is not checked');
  }

  // ---- 5. the browser ------------------------------------------------------------------
  const chromium = findChromium();
  if (chromium === undefined) {
    if (process.env.TASKLETS_SKIP_BROWSER) {
      console.log(`package-test: SKIPPED the browser check: ${process.env.TASKLETS_SKIP_BROWSER}`);
    } else {
      throw new Error('no Chromium found (set $CHROMIUM, or install Debian\'s chromium); set TASKLETS_SKIP_BROWSER=<reason> to skip this check');
    }
  } else {
    step(`hackysack in headless Chromium (${chromium})`);
    const result = await inBrowser(chromium, installed);
    assert.deepEqual(result, { ok: true, players: 300, turns: 5000, kicks: 5000, finished: 301, process: 'undefined', require: 'undefined' });
  }
  step('passed');
}

/** How many `@ts-expect-error` lines consumer.ts has; each must be a real error. */
let expectedErrors = 0;

function writeTypeConsumers() {
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    target: 'ES2022',
  };
  // A Node user: @types/node from this repository, and lib ESNext (with `using`).
  writeFileSync(join(project, 'tsconfig.nodenext.json'), JSON.stringify({
    compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: ['ESNext'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
    files: ['consumer.ts', 'using.ts', 'require.cts'],
  }, null, 2));
  // A browser user with a bundler: DOM, no @types/node, and no lib for `using`.
  writeFileSync(join(project, 'tsconfig.bundler.json'), JSON.stringify({
    compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
    files: ['consumer.ts'],
  }, null, 2));

  const consumer = `// A strict consumer that relies on the package's types.
import {
  Channel, ChannelClosedError, select, tasklet, trySelect,
  type ReceiveChannel, type SendChannel, type Tasklet, type TryReceiveResult,
} from 'tasklets';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined { return undefined; }

/** Hands out only the sending end. */
function producer(out: SendChannel<number>): Tasklet<void> {
  return tasklet(async () => { await out.sendSequence([1, 2, 3]); out.close(); })();
}

/** Takes only the receiving end. */
async function total(input: ReceiveChannel<number>): Promise<number> {
  let sum = 0;
  for await (const n of input) sum += n;
  return sum;
}

export async function consume(): Promise<number> {
  const nums = new Channel<number>({ capacity: 1, name: 'nums' });
  const words = new Channel<string>();
  producer(nums);
  const sum = await total(nums);
  expectType<Equal<typeof sum, number>>();

  const doubled = await tasklet(async (n: number) => n * 2)(21).join();
  expectType<Equal<typeof doubled, number>>();

  const r = await select({ n: nums.receiveCase(), w: words.sendCase('hi') });
  expectType<Equal<typeof r.key, 'n' | 'w'>>();
  if (r.key === 'n') {
    if (!r.done) {
      expectType<Equal<typeof r.value, number>>();
      return r.value.toFixed(0).length;
    }
    expectType<Equal<typeof r.value, undefined>>();
  } else {
    expectType<Equal<typeof r.value, undefined>>();
  }
  // @ts-expect-error 'x' names no case
  if (r.key === 'x') return 0;
  const maybe = trySelect({ w: words.receiveCase() });
  if (maybe !== null && !maybe.done) expectType<Equal<typeof maybe.value, string>>();

  const out: SendChannel<number> = nums;
  const input: ReceiveChannel<number> = nums;
  // @ts-expect-error the sending end cannot receive
  await out.receive();
  // @ts-expect-error the receiving end cannot send
  await input.send(1);
  // @ts-expect-error the receiving end cannot close
  input.close();
  // @ts-expect-error a channel of numbers takes no strings
  await nums.send('one');
  // @ts-expect-error a SendChannel<number> is no SendChannel<string>
  const wrongEnd: SendChannel<string> = out;
  const narrower: SendChannel<1 | 2> = out; // a channel of numbers takes 1 and 2
  const wider: ReceiveChannel<number | string> = input; // and gives numbers, which are number | string
  const got: TryReceiveResult<number> = input.tryReceive();
  if (got.ok) expectType<Equal<typeof got.value, number>>();
  // @ts-expect-error the value of an empty result is undefined
  if (!got.ok) got.value.toFixed();
  try {
    await nums.send(4);
  } catch (e) {
    if (e instanceof ChannelClosedError) return String(e.value).length;
  }
  return [wrongEnd, narrower, wider].length;
}
`;
  expectedErrors = consumer.split('\n').filter((l) => l.trim().startsWith('// @ts-expect-error')).length;
  writeFileSync(join(project, 'consumer.ts'), consumer);

  writeFileSync(join(project, 'using.ts'), `// \`using\` and \`await using\` with the package's types (needs lib esnext.disposable).
import { Channel, schedule, tasklet } from 'tasklets';

export async function scoped(): Promise<boolean> {
  let kept: Channel<number>;
  {
    using ch = new Channel<number>();
    kept = ch;
  }
  {
    await using t = tasklet(async () => { for (;;) await schedule(); })();
    await schedule();
    // @ts-expect-error a tasklet is disposed asynchronously: \`await using\`, not \`using\`
    using wrong = t;
    void wrong;
  }
  return kept.closing;
}
`);
  writeFileSync(join(project, 'require.cts'), `// A CommonJS TypeScript consumer (nodenext): require() of the package, typed.
import T = require('tasklets');
const ch: T.Channel<number> = new T.Channel<number>({ capacity: 1 });
const doubled: Promise<number> = T.tasklet(async (n: number) => n * 2)(2).join();
export = { ch, doubled };
`);
}

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser'].filter(Boolean);
  for (const c of candidates) {
    if (spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0) return c;
  }
  return undefined;
}

/** The page: imports the package's ESM bundle and plays hackysack, then posts the result back. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>tasklets in the browser</title>
<pre id="result">running</pre>
<script type="module">
const report = (body) => {
  document.getElementById('result').textContent = JSON.stringify(body);
  fetch('/result', { method: 'POST', body: JSON.stringify(body) });
};
addEventListener('error', (e) => report({ error: String(e.message) }));
addEventListener('unhandledrejection', (e) => report({ error: String(e.reason && e.reason.stack || e.reason) }));
try {
  const { Channel, run, tasklet } = await import('/tasklets/dist/index.js');
  // Grant Olson's hackysack, as in examples/hackysack.ts (with Math.random).
  const players = 300, turns = 5000, n = players + 1;
  const channels = Array.from({ length: n }, (_, i) => new Channel({ name: 'player ' + i }));
  let kicks = 0, finished = 0;
  const player = tasklet(async (me) => {
    for (;;) {
      const sack = await channels[me].receive();
      if (sack === 'exit') break;
      let to = (Math.random() * n) | 0;
      while (to === me) to = (Math.random() * n) | 0;
      if (++kicks === turns) {
        for (let i = 0; i < n; i++) if (i !== me) await channels[i].send('exit');
        break;
      }
      await channels[to].send({ from: me });
    }
    finished++;
  });
  for (let i = 0; i < n; i++) player(i);
  await channels[0].send({ from: 0 });
  await run();
  report({ ok: true, players, turns, kicks, finished, process: typeof process, require: typeof require });
} catch (e) {
  report({ error: String(e && e.stack || e) });
}
</script>
`;

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

/** Serves the page and the installed package on 127.0.0.1, runs Chromium on it, and resolves with what the page posts. */
async function inBrowser(chromium, installed) {
  let settle;
  const posted = new Promise((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        try {
          settle.resolve(JSON.parse(body));
        } catch (e) {
          settle.reject(e);
        }
      });
      return;
    }
    let file;
    if (url.pathname === '/') file = null;
    else if (url.pathname.startsWith('/tasklets/dist/')) file = join(installed, 'dist', url.pathname.slice('/tasklets/dist/'.length));
    if (file === undefined || (file !== null && (!file.startsWith(join(installed, 'dist')) || !existsSync(file)))) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[file === null ? '.html' : extname(file)] ?? 'application/octet-stream' });
    res.end(file === null ? PAGE : readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const profile = mkdtempSync(join(tmp, 'chromium-profile-'));
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/`,
  ];
  // Its own process group, so the browser's helper processes end with it.
  const browser = spawn(chromium, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  browser.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  browser.on('exit', (code) => settle.reject(new Error(`Chromium exited (${code}) before the page reported:\n${stderr}`)));
  const timer = setTimeout(() => settle.reject(new Error(`no result from the page in 60 s; Chromium said:\n${stderr}`)), 60_000);
  try {
    return await posted;
  } finally {
    clearTimeout(timer);
    browser.removeAllListeners('exit');
    await stop(browser);
    server.close();
  }
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const late = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }, 5000);
  await exited;
  clearTimeout(late);
}

main().then(
  () => {
    if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  },
  (error) => {
    console.error(`package-test: FAILED: ${error.stack ?? error}`);
    console.error(`package-test: the project is kept in ${tmp}`);
    process.exitCode = 1;
  },
);
