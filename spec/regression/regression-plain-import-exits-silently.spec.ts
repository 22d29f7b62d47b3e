/**
 * Regression (issue 13, part 2): a Node program that imported only `tasklets` — as the
 * README's Quick start does — exited in silence with parties parked: a top-level
 * `await ch.receive()` that could never complete ended with code 13 and no word of the
 * channel, and a parked tasklet with no run() ended with code 0 and nothing printed.
 * Under Node, `tasklets` now resolves to the core plus the exit check (lib/index.node.ts).
 * The programs load the package by name from the built dist/, as users do.
 */
import { ensureDist, runPackageFixture } from '../node/dist';

beforeAll(() => ensureDist(), 120_000);

test('import: a top-level await of a receive that can never complete names its channel and exits non-zero', async () => {
  const r = await runPackageFixture('receive-forever.mjs');
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('tasklets: the process is exiting with 1 party parked on channels');
  expect(r.stderr).toContain('plain code receives on channel "orders"');
});

test('import: tasklets parked for good and no run(): the report names each, exit code 1', async () => {
  const r = await runPackageFixture('parked.mjs');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('tasklets: the process is exiting with 2 parties parked on channels');
  expect(r.stderr).toContain('tasklet "waiter" (#1) receives on channel "left"');
  expect(r.stderr).toContain('tasklet "sender" (#2) sends on channel "right"');
});

test('require: the same, through the CommonJS entry', async () => {
  const r = await runPackageFixture('parked.cjs');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('tasklet "waiter" (#1) receives on channel "left"');
});

test('setExitCheck(false) from tasklets/node silences it; a program that ends cleanly prints nothing', async () => {
  const [off, offCjs, fed] = await Promise.all([runPackageFixture('parked.mjs', 'off'), runPackageFixture('parked.cjs', 'off'), runPackageFixture('parked.mjs', 'fed')]);
  expect(off).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(offCjs).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(fed).toEqual({ code: 0, stdout: '', stderr: '' });
});
