/**
 * The spec harness: every test fails on an unhandled promise rejection, and the run
 * loop's structural invariants are checked after every test.
 */
import { assertLoopInvariants } from '../lib/loop';

const unhandled: unknown[] = [];
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
    throw new Error(`unhandled promise rejection during the test: ${first instanceof Error ? first.stack : String(first)}`);
  }
});
