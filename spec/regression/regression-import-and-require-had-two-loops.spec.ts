/**
 * Regression (issue 13, part 6): a process that loaded `tasklets` through both `import`
 * and `require` had two copies — two run loops, two `Channel` classes — and
 * `merge([channelFromImport])` through require threw "merge(): inputs[0] must be a
 * Channel, received an instance of Channel". Under Node both now reach one CommonJS
 * implementation (`import` gets an ESM face of it: dist/index.node.mjs, dist/node.mjs).
 * spec/fixtures/package/one-loop.mjs mixes the two in every way; scripts/package-test.mjs
 * runs it again on the installed tarball.
 */
import { ensureDist, runPackageFixture } from '../node/dist';

beforeAll(() => ensureDist(), 120_000);

test('a channel or tasklet of one module system works with every function of the other, on one run loop', async () => {
  const r = await runPackageFixture('one-loop.mjs');
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(r.stdout)).toEqual({
    same: [], // Channel, Tasklet, tasklet, run, select, merge and the errors are one object each
    fifo: 'e1 c1 e2 e1 c1 e2 e1 c1 e2', // one run queue, strictly FIFO across both
    deadlock: 'true 1 true', // run() of import reports a tasklet of require, as the one DeadlockError class
    count: [1, 1],
    merged: true,
    mergeValue: 'from a',
    select: { key: 'x', value: 42, done: false },
    written: 2,
    chunks: ['x', 'y'],
    drained: 'resolved',
  });
});
