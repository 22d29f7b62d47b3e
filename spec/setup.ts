/**
 * The spec harness: every test fails on an unhandled promise rejection it did not
 * expect (see `takeUnhandledRejections` in spec/helpers.ts), on a tasklet or a parked
 * plain-code operation it left behind, and on a broken run-loop invariant.
 */
import { assertLoopInvariants, loopStats } from '../lib/loop';

/**
 * Rejections Node reported as unhandled during the current test. Kept on `globalThis`
 * so that spec/helpers.ts reads the very same list whatever module instance it gets.
 */
const unhandled: unknown[] = ((globalThis as any).__taskletsUnhandled ??= []);
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  // Let pending rejections surface: a macrotask turn is enough for Node to report them.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onUnhandled);
  assertLoopInvariants();
  if (unhandled.length > 0) {
    const first = unhandled[0];
    unhandled.length = 0;
    throw new Error(`unhandled promise rejection during the test: ${first instanceof Error ? first.stack : String(first)}`);
  }
  // Specs in one file share the loop: a test must not leave work behind for the next.
  const stats = loopStats();
  if (stats.alive !== 0 || stats.parkedPlain !== 0 || stats.pendingRuns !== 0) {
    throw new Error(`the test left work behind: ${JSON.stringify(stats)}`);
  }
});
