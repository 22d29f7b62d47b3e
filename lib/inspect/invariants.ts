/**
 * For specs and diagnostics: the run loop's structural invariants, checked, and a summary
 * of its state. The spec harness calls `assertLoopInvariants()` after every test.
 */
import { loopInternals, S } from '../core/loop';
import { getRunCount } from '../run/run';

/** For specs: checks the loop's structural invariants, throws if one is broken. */
export function assertLoopInvariants(): void {
  const i = loopInternals();
  let counted = 0;
  let tasklets = 0;
  for (const w of i.runq) {
    if (!w._inRunq) continue;
    counted++;
    if (w._owner !== undefined) {
      tasklets++;
      if (w._owner._waiter !== w) throw new Error(`tasklets: invariant: ${w._owner} on the run queue but _waiter differs`);
      if (w._queue !== null) throw new Error(`tasklets: invariant: ${w._owner} both runnable and parked`);
    }
  }
  if (counted !== S.live) throw new Error(`tasklets: invariant: run queue holds ${counted} live entries, count says ${S.live}`);
  if (tasklets !== S.runnableTasklets) throw new Error(`tasklets: invariant: ${tasklets} runnable tasklets, count says ${S.runnableTasklets}`);
  let paused = 0;
  let outside = 0;
  let owing = 0;
  for (const t of i.alive) {
    if (!t._alive) throw new Error(`tasklets: invariant: finished ${t} still registered`);
    if (t._paused) paused++;
    if (t._outside) outside++;
    if (t._owesThrow) owing++;
  }
  if (paused !== i.paused) throw new Error(`tasklets: invariant: ${paused} paused, count says ${i.paused}`);
  if (outside !== i.outside) throw new Error(`tasklets: invariant: ${outside} outside, count says ${i.outside}`);
  if (owing !== S.pendingThrows) throw new Error(`tasklets: invariant: ${owing} tasklets owe a deferred throw, count says ${S.pendingThrows}`);
}

/** For specs: a summary of the loop's state. */
export function loopStats(): { alive: number; runnable: number; paused: number; outside: number; parkedPlain: number; pendingRuns: number } {
  const i = loopInternals();
  return {
    alive: i.aliveCount,
    runnable: getRunCount(),
    paused: i.paused,
    outside: i.outside,
    parkedPlain: i.parkedPlain.size,
    pendingRuns: i.pendingRuns,
  };
}
