/**
 * The spec harness, after every test:
 *  - the run loop's structural invariants hold;
 *  - the test left no work behind (no tasklet alive, no plain-code operation parked,
 *    no run() pending), since the specs of a file share one loop;
 *  - no observer is left subscribed (lib/inspect/bus.ts): hooks, traces, statistics and debug
 *    options are turned off again.
 *
 * An unhandled promise rejection fails the test too, but Jest does that itself: it
 * listens on the real process and fails the running test. A listener added here would
 * never hear of one, because the `process` a test sees is a sandbox copy. A spec that
 * expects an unhandled rejection runs its scenario in a child process
 * (`runFixture` in spec/helpers.ts).
 */
import { observerCount } from '../lib/inspect/bus';
import { channelWrapped } from '../lib/inspect/wrap';
import { assertLoopInvariants, loopStats } from '../lib/inspect/invariants';
import { S } from '../lib/core/loop';

afterEach(async () => {
  // Let pending rejections surface (Jest then fails this test) and the loop finish its batch.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assertLoopInvariants();
  const stats = loopStats();
  if (stats.alive !== 0 || stats.parkedPlain !== 0 || stats.pendingRuns !== 0) {
    throw new Error(`the test left work behind: ${JSON.stringify(stats)}`);
  }
  if (observerCount() !== 0 || S.watcher !== null || channelWrapped()) throw new Error(`the test left ${observerCount()} observer(s) subscribed (hooks, trace, statistics, debug)`);
});
