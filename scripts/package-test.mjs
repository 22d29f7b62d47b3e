#!/usr/bin/env node
// The packaging test (`npm run test:package`, part of `npm test`): builds the library,
// packs it with `npm pack`, installs only the tarball into a fresh temporary project
// (offline: the package has no runtime dependencies) and checks it there as users get it:
//
//   1. the tarball holds the bundles, the types and the command, and nothing it should not;
//      @arethetypeswrong/cli and publint — the two well-kept checkers of how a package's
//      exports, formats and types fit together — both report nothing on it;
//   2. `import` (ESM) and `require` (CJS) both load it, with the same exports, and play a
//      game; a process that mixes the two has one run loop (spec/fixtures/package/one-loop.mjs);
//      under Node a plain `import 'tasklets'` has the exit check on; the Node-only subpaths
//      (`tasklets/node`, `tasklets/worker`, `tasklets/nats`) load both ways too, each as one module;
//   3. strict TypeScript consumers type-check under `moduleResolution` `nodenext` and
//      `bundler`, relying on typed results (select's key narrowing, the directional views,
//      `using`), with expected errors (`@ts-expect-error`) that fail if the types were `any`;
//      `tasklets/worker` under both too, with Node's types; and CommonJS consumers of every
//      entry under `module: node16` and `moduleResolution: node10`;
//   4. `npx tasklets` plays hackysack, prints `--help` and `--version` on stdout, exits 2
//      with the usage on bad flags and at once on a `--trace` file it cannot write, and
//      draws its progress bar only when stderr is a terminal;
//   5. headless Chromium loads the ESM bundle from a localhost server and plays hackysack
//      there, proving the core has no Node-only imports.
//
// Chromium: $CHROMIUM, else `chromium` or `chromium-browser` on the PATH. Without one,
// step 5 says in one line that it was skipped and why, and runs the ESM bundle in a
// node:vm context that has only browser globals instead (no `process`, `require`,
// `Buffer`, `setImmediate`; any import of a `node:` or bare module fails it). In CI
// (`CI` set and not `false`/`0`) a missing Chromium is a failure: .ci/run installs it.
// The temporary directory is removed at the end, failed or not (also on SIGINT, SIGTERM
// and SIGHUP); KEEP_TMP=1 keeps it for a look afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'tasklets-package-'));
const project = join(tmp, 'consumer');
/** The Chromium being run, if any: ended with the test, however it ends. */
let browserProcess = null;

function cleanUp() {
  if (browserProcess !== null && browserProcess.exitCode === null && browserProcess.signalCode === null) {
    try {
      process.kill(-browserProcess.pid, 'SIGKILL');
    } catch {
      // the browser's process group is gone already
    }
  }
  if (process.env.KEEP_TMP) console.error(`package-test: KEEP_TMP is set: the project is kept in ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }); // retries: a killed browser's helpers may still be writing its profile
}

for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
]) {
  process.once(signal, () => {
    console.error(`package-test: ${signal}: stopping`);
    cleanUp();
    process.exit(128 + number);
  });
}

/** Whether this is a CI run: `CI` set to anything but `false` or `0` (as CI services set it). */
const inCI = process.env.CI !== undefined && process.env.CI !== '' && !/^(false|0)$/i.test(process.env.CI);

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
  const expectedFiles = [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'dist/cli.js',
    'dist/index.js',
    'dist/index.cjs',
    'dist/index.d.ts',
    'dist/index.d.cts',
    'dist/index.node.cjs',
    'dist/index.node.mjs',
    'dist/node.cjs',
    'dist/node.mjs',
    'dist/node.d.ts',
    'dist/node.d.cts',
    'dist/worker.cjs',
    'dist/worker.mjs',
    'dist/worker.d.ts',
    'dist/worker.d.cts',
    'dist/nats.cjs',
    'dist/nats.mjs',
    'dist/nats.d.ts',
    'dist/nats.d.cts',
  ];
  for (const f of expectedFiles) {
    assert.ok(files.includes(f), `the tarball lacks ${f}: ${files.join(', ')}`);
  }
  const stray = files.filter((f) => /^(spec|bench|scripts|examples|node_modules|docs)\//.test(f) || f.endsWith('.tgz'));
  assert.deepEqual(stray, [], 'the tarball carries files users do not need');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'the package has runtime dependencies');
  const tarball = join(tmp, packed.filename);
  step('@arethetypeswrong/cli and publint on the tarball');
  // Every resolution mode (node10, node16 from CJS and from ESM, bundler) for every entry;
  // --no-definitely-typed keeps it offline.
  const attw = sh(join(root, 'node_modules', '.bin', 'attw'), [tarball, '--no-definitely-typed', '--format', 'ascii', '--no-color'], { cwd: root, status: null });
  if (attw.status !== 0) throw new Error(`@arethetypeswrong/cli found problems (exit ${attw.status}):\n${attw.stdout}${attw.stderr}`);
  const lint = await publint({ pack: { tarball: readFileSync(tarball).buffer }, level: 'suggestion', strict: true });
  const problems = lint.messages.map((m) => `${m.type}: ${formatMessage(m, lint.pkg) ?? m.code}`);
  assert.deepEqual(problems, [], 'publint reports problems');

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  step('install the tarball into a fresh project');
  sh('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball]);
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
    const viaImport = sh('node', [
      '--input-type=module',
      '-e',
      `import * as N from 'tasklets/node'; import * as T from 'tasklets'; import { Readable } from 'node:stream'; ${check}`,
    ]);
    const viaRequire = sh('node', ['-e', `const N = require('tasklets/node'), T = require('tasklets'), { Readable } = require('node:stream'); (async () => { ${check} })()`]);
    assert.equal(viaImport.stdout, 'true a\n', 'tasklets/node (ESM)');
    assert.equal(viaRequire.stdout, 'true a\n', 'tasklets/node (CJS)');
  }
  {
    // tasklets/worker loads in both systems, with the same names, and is one module: the
    // ESM face re-exports the CommonJS file, so both give one ChannelGoneError class.
    const check =
      "const e = new W.ChannelGoneError('gone', 7); " +
      "console.log(JSON.stringify({ names: Object.keys(W).filter((k) => k !== 'default' && k !== '__esModule').sort(), error: e instanceof Error, name: e.name, value: e.value, text: String(e) }));";
    const viaImport = sh('node', [
      '--input-type=module',
      '-e',
      `import * as W from 'tasklets/worker'; import { createRequire } from 'node:module'; ${check} console.log(createRequire(process.cwd() + '/')('tasklets/worker').ChannelGoneError === W.ChannelGoneError);`,
    ]);
    const viaRequire = sh('node', ['-e', `const W = require('tasklets/worker'); ${check}`]);
    const [esmWorker, same] = viaImport.stdout.trim().split('\n');
    const cjsWorker = viaRequire.stdout.trim();
    const expectedWorker = { error: true, name: 'ChannelGoneError', value: 7, text: 'ChannelGoneError: gone' };
    assert.deepEqual({ ...JSON.parse(esmWorker), names: undefined }, { ...expectedWorker, names: undefined }, 'tasklets/worker (ESM)');
    assert.deepEqual({ ...JSON.parse(cjsWorker), names: undefined }, { ...expectedWorker, names: undefined }, 'tasklets/worker (CJS)');
    assert.deepEqual(JSON.parse(esmWorker).names, JSON.parse(cjsWorker).names, 'tasklets/worker: ESM and CJS export different names');
    assert.ok(JSON.parse(esmWorker).names.includes('ChannelGoneError'), 'tasklets/worker exports no ChannelGoneError');
    assert.equal(same, 'true', 'tasklets/worker: import and require give different ChannelGoneError classes');
  }
  {
    // tasklets/nats loads both ways without its peer dependency installed: it imports only
    // the types of \`nats\`, so a program that does not use it pays nothing and needs no client.
    const check = "console.log(Object.keys(N).filter((k) => k !== 'default' && k !== '__esModule').sort().join(','));";
    const viaImport = sh('node', ['--input-type=module', '-e', `import * as N from 'tasklets/nats'; ${check}`]);
    const viaRequire = sh('node', ['-e', `const N = require('tasklets/nats'); ${check}`]);
    assert.equal(viaImport.stdout, 'DurableNatsChannel,NatsChannel,NatsChannelError,natsChannel\n', 'tasklets/nats (ESM)');
    assert.equal(viaRequire.stdout, viaImport.stdout, 'tasklets/nats (CJS)');
  }
  step('one loop for import and require; the exit check under a plain import');
  const fixtures = join(root, 'spec', 'fixtures', 'package');
  writeFileSync(join(project, 'one-loop.mjs'), readFileSync(join(fixtures, 'one-loop.mjs')));
  const oneLoop = JSON.parse(sh('node', ['one-loop.mjs']).stdout);
  assert.deepEqual(oneLoop.same, [], 'import and require give different objects');
  assert.equal(oneLoop.fifo, 'e1 c1 e2 e1 c1 e2 e1 c1 e2', 'tasklets of import and require are not on one FIFO run queue');
  assert.equal(oneLoop.deadlock, 'true 1 true', 'run() of import does not see a tasklet of require');
  assert.deepEqual([oneLoop.mergeValue, oneLoop.select.value, oneLoop.written, oneLoop.drained], ['from a', 42, 2, 'resolved']);
  writeFileSync(join(project, 'receive-forever.mjs'), readFileSync(join(fixtures, 'receive-forever.mjs')));
  const silent = sh('node', ['receive-forever.mjs'], { status: null });
  assert.notEqual(silent.status, 0, 'a receive that can never complete exited 0');
  assert.match(silent.stderr, /tasklets: the process is exiting with 1 party parked on channels[^]*plain code receives on channel "orders"/);

  // ---- 3. strict TypeScript consumers --------------------------------------------------
  step('type-check strict consumers (nodenext, bundler)');
  writeTypeConsumers();
  // Each config, and the installed declaration files it must have read.
  const typeChecks = {
    'tsconfig.nodenext.json': ['index.d.ts', 'worker.d.ts', 'worker.d.cts'],
    'tsconfig.bundler.json': ['index.d.ts'],
    'tsconfig.bundler-node.json': ['worker.d.ts', 'worker.d.cts'],
  };
  for (const [config, declarations] of Object.entries(typeChecks)) {
    const r = sh(process.execPath, [tsc, '-p', config, '--listFiles'], { status: null });
    if (r.status !== 0)
      throw new Error(
        `tsc -p ${config} failed:\n${r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('/'))
          .join('\n')}${r.stderr}`,
      );
    // It checked the installed package's bundled types, not something else.
    for (const d of declarations) assert.ok(r.stdout.split('\n').includes(join(installed, 'dist', d)), `${config} did not use the package's ${d}:\n${r.stdout}`);
  }
  // CommonJS TypeScript projects: `module: node16` (the types must not masquerade as ESM,
  // TS1479) and `moduleResolution: node10` (which reads no exports map: typesVersions).
  for (const config of ['tsconfig.node16.json', 'tsconfig.node10.json']) {
    const r = sh(process.execPath, [tsc, '-p', config], { cwd: join(project, 'cjs'), status: null });
    if (r.status !== 0) throw new Error(`tsc -p cjs/${config} failed:\n${r.stdout}${r.stderr}`);
  }
  // The expected errors are real: the same consumers with the directives removed fail.
  for (const [file, config] of [
    ['consumer.ts', 'tsconfig.bundler.json'],
    ['worker.ts', 'tsconfig.bundler-node.json'],
  ]) {
    const guarded = readFileSync(join(project, file), 'utf8');
    const expected = guarded.split('\n').filter((l) => l.trim().startsWith('// @ts-expect-error')).length;
    assert.ok(expected > 0, `${file} expects no error`);
    writeFileSync(join(project, file), guarded.replaceAll('// @ts-expect-error', '//'));
    const failing = sh(process.execPath, [tsc, '-p', config], { status: null });
    const errors = failing.stdout.match(/error TS\d+/g) ?? [];
    assert.equal(errors.length, expected, `without @ts-expect-error ${file} should fail ${expected} times:\n${failing.stdout}`);
  }

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
  const expectedGame = { ok: true, players: 300, turns: 5000, kicks: 5000, finished: 301, process: 'undefined', require: 'undefined' };
  const chromium = findChromium();
  if (chromium === undefined) {
    const why = 'no Chromium found ($CHROMIUM, or chromium / chromium-browser on the PATH)';
    if (inCI) throw new Error(`${why}, and in CI the browser check is mandatory (.ci/run installs Debian's chromium)`);
    writeFileSync(join(tmp, 'browser-vm.mjs'), BROWSER_VM);
    writeFileSync(join(tmp, 'browser-game.js'), `import { Channel, run, tasklet } from './index.js';\n${GAME}`);
    const vmArgs = ['--experimental-vm-modules', '--no-warnings', 'browser-vm.mjs', join(installed, 'dist'), 'browser-game.js'];
    const result = JSON.parse(sh('node', vmArgs, { cwd: tmp }).stdout);
    assert.deepEqual(result, expectedGame, 'the ESM bundle in a context with browser globals only');
    console.log(`package-test: SKIPPED the browser check: ${why}; ran the ESM bundle in a node:vm context with only browser globals instead (it played hackysack)`);
  } else {
    step(`hackysack in headless Chromium (${chromium})`);
    assert.deepEqual(await inBrowser(chromium, installed), expectedGame);
  }
  step('passed');
}

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
  writeFileSync(
    join(project, 'tsconfig.nodenext.json'),
    JSON.stringify(
      {
        compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: ['ESNext'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        files: ['consumer.ts', 'using.ts', 'require.cts', 'worker.ts'],
      },
      null,
      2,
    ),
  );
  // A browser user with a bundler: DOM, no @types/node, and no lib for `using`.
  writeFileSync(
    join(project, 'tsconfig.bundler.json'),
    JSON.stringify(
      {
        compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
        files: ['consumer.ts'],
      },
      null,
      2,
    ),
  );
  // A Node user with a bundler, of the Node-only tasklets/worker: @types/node, no DOM.
  writeFileSync(
    join(project, 'tsconfig.bundler-node.json'),
    JSON.stringify(
      {
        compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
        files: ['worker.ts'],
      },
      null,
      2,
    ),
  );

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
  writeFileSync(join(project, 'consumer.ts'), consumer);

  writeFileSync(
    join(project, 'using.ts'),
    `// \`using\` and \`await using\` with the package's types (needs lib esnext.disposable).
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
`,
  );
  writeFileSync(
    join(project, 'worker.ts'),
    `// A strict consumer of tasklets/worker (Node only), under nodenext and bundler.
import { ChannelGoneError } from 'tasklets/worker';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined { return undefined; }

/** What a send that failed because the other thread is gone hands back: the value it carried. */
export function handedBack(e: unknown): unknown {
  if (!(e instanceof ChannelGoneError)) throw e;
  expectType<Equal<typeof e.value, unknown>>();
  const asError: Error = e;
  // @ts-expect-error the value of a failed send is read-only
  e.value = undefined;
  return [asError.message, e.value];
}
export const gone: ChannelGoneError = new ChannelGoneError('send(): the other end is gone', { id: 7 });
// @ts-expect-error a ChannelGoneError needs its message
export const bare = new ChannelGoneError();
`,
  );
  // A CommonJS package beside it (its own package.json), compiled under node16 and node10.
  mkdirSync(join(project, 'cjs'));
  writeFileSync(join(project, 'cjs', 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true, type: 'commonjs' }, null, 2));
  const cjsOptions = { ...strict, verbatimModuleSyntax: false, lib: ['ES2022'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };
  writeFileSync(
    join(project, 'cjs', 'tsconfig.node16.json'),
    JSON.stringify({ compilerOptions: { ...cjsOptions, module: 'node16', moduleResolution: 'node16' }, files: ['index.ts'] }, null, 2),
  );
  writeFileSync(
    join(project, 'cjs', 'tsconfig.node10.json'),
    JSON.stringify(
      {
        // node10 is deprecated in TypeScript 6, and still what many CommonJS projects use.
        compilerOptions: { ...cjsOptions, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
        files: ['index.ts'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(project, 'cjs', 'index.ts'),
    `// A CommonJS TypeScript project: every entry, typed.
import { Channel, select, tasklet } from 'tasklets';
import { fromReadable, setExitCheck } from 'tasklets/node';
import { ChannelGoneError } from 'tasklets/worker';
import { Readable } from 'node:stream';

export const ch: Channel<number> = new Channel<number>({ capacity: 1 });
export const doubled: Promise<number> = tasklet(async (n: number) => n * 2)(2).join();
export const chunks: Channel<string> = fromReadable<string>(Readable.from(['a']));
export const picked: Promise<number | string | undefined> = select({ n: ch.receiveCase(), s: chunks.receiveCase() }).then((r) => r.value);
export const wasOn: boolean = setExitCheck(true);
export const gone: Error = new ChannelGoneError('send(): the other end is gone', 1);
`,
  );
  writeFileSync(
    join(project, 'require.cts'),
    `// A CommonJS TypeScript consumer (nodenext): require() of the package, typed.
import T = require('tasklets');
import W = require('tasklets/worker');
const ch: T.Channel<number> = new T.Channel<number>({ capacity: 1 });
const doubled: Promise<number> = T.tasklet(async (n: number) => n * 2)(2).join();
const gone: W.ChannelGoneError = new W.ChannelGoneError('send(): the other end is gone', 1);
export = { ch, doubled, gone };
`,
  );
}

function findChromium() {
  const runs = (c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0;
  if (process.env.CHROMIUM) {
    if (!runs(process.env.CHROMIUM)) throw new Error(`$CHROMIUM is ${process.env.CHROMIUM}, which does not run (\`--version\` failed)`);
    return process.env.CHROMIUM;
  }
  return ['chromium', 'chromium-browser'].find(runs);
}

/**
 * Grant Olson's hackysack, as in examples/hackysack.ts (with Math.random), on the ESM
 * bundle (`Channel`, `run`, `tasklet` in scope); ends with \`report(result)\`.
 */
const GAME = `
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
`;

/**
 * The fallback without a browser (\`node --experimental-vm-modules browser-vm.mjs DIST\`):
 * links DIST/index.js and its imports as modules of a node:vm context that holds only
 * what a browser's global scope has, plays the game there and prints its result. A
 * \`node:\` or bare import fails the link; a use of Node's globals fails the game.
 */
const BROWSER_VM = `import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
const [dist, gameFile] = process.argv.slice(2);
const globals = {
  setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, MessageChannel, MessagePort,
  performance, console, AbortController, AbortSignal, EventTarget, Event, DOMException, structuredClone,
  TextEncoder, TextDecoder, URL, URLSearchParams,
};
const context = vm.createContext({ ...globals });
vm.runInContext('globalThis.window = globalThis.self = globalThis;', context);
let result;
context.report = (r) => (result = JSON.stringify(r));
const modules = new Map();
function load(file, source) {
  if (!modules.has(file)) modules.set(file, new vm.SourceTextModule(source ?? readFileSync(file, 'utf8'), { identifier: file, context }));
  return modules.get(file);
}
const game = load(join(dist, 'browser-game.js'), readFileSync(gameFile, 'utf8'));
await game.link((specifier, from) => {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) throw new Error(from.identifier + ' imports ' + specifier + ', which a browser does not have');
  return load(resolve(dirname(from.identifier), specifier));
});
await game.evaluate();
if (result === undefined) throw new Error('the game did not report');
console.log(result);
process.exit(0);
`;

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
${GAME}} catch (e) {
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
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`,
    `http://127.0.0.1:${port}/`,
  ];
  // Its own process group, so the browser's helper processes end with it.
  const browser = spawn(chromium, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  browserProcess = browser;
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
    } catch {
      // it exited between the SIGTERM and now
    }
  }, 5000);
  await exited;
  clearTimeout(late);
}

try {
  await main();
} catch (error) {
  console.error(`package-test: FAILED: ${error.stack ?? error}`);
  if (!process.env.KEEP_TMP) console.error('package-test: rerun with KEEP_TMP=1 to keep the project for a look');
  process.exitCode = 1;
} finally {
  cleanUp();
}
