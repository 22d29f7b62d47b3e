/**
 * What the loop needs of the code above it, declared here so that the loop imports
 * nothing from the rooms that use it.
 */
import type { Tasklet } from './tasklet';
import type { Waiter } from './waiter';

/**
 * @internal The observer the loop tells of its rare events (lib/inspect/ installs one
 * while someone observes; `null` in `S.watcher`, the rule, costs nothing). Settlements
 * and channel operations are observed by wrapping prototype methods instead
 * (lib/inspect/wrap.ts), so the hot path has no check at all.
 */
export interface LoopWatcher {
  /** A parked waiter was taken off its wait list without completing (abort, kill, select's losing cases). */
  unpark(w: Waiter): void;
  /** The run queue ran dry. */
  idle(): void;
  /** A tasklet ended. */
  end(t: Tasklet): void;
}
