/**
 * What Node can still do to wake a party (Node only): the loop's `Host` (lib/core/loop.ts).
 *
 * Go's rule, adapted: a party parked while the host could still call back into the
 * program is not deadlocked. Under Node that is a ref'd I/O handle or request — a
 * listening server, an open socket, a child process, a worker, a pending fs or dns
 * request. Not counted:
 *  - host timers: every test runner arms one per test as a watchdog, and a deadlock
 *    inside a test must still be reported at once (Node's own `AbortSignal.timeout` is
 *    unref'd anyway); the library's own timers (`sleep`, `after`, `withTimeout`,
 *    `timeoutSignal`) are counted by the loop;
 *  - the process's own stdio (`node --test` gives every child two ref'd pipes);
 *  - the IPC channel to a parent process (a Jest worker's).
 *
 * Node raises no event when a handle closes, so while only the host keeps `run()` from
 * reporting a deadlock, the loop asks again on an unref'd timer, 10 ms at first and
 * doubling to once a second while nothing happens; the exit check (lib/node/exit.ts)
 * decides at once when the event loop drains.
 */
import { S, setHost } from '../core/loop';

interface NodeProcess {
  _getActiveHandles?: () => unknown[];
  _getActiveRequests?: () => unknown[];
  getActiveResourcesInfo?: () => string[];
  channel?: unknown;
}

const FIRST_DELAY = 10;
const LAST_DELAY = 1000;
let delay = FIRST_DELAY;
let watching: ReturnType<typeof setTimeout> | null = null;
let sliceAtWatch = -1;

/** A handle that cannot wake a party: stdio, the IPC channel to a parent, a timer. */
function ignored(h: unknown, proc: NodeProcess): boolean {
  if (h === null || typeof h !== 'object') return true;
  if ((h as { _isStdio?: unknown })._isStdio === true) return true;
  const name = (h as { constructor?: { name?: unknown } }).constructor?.name;
  // The IPC channel shows as a bare `Pipe` handle; the user's pipes are `Socket`s.
  if (name === 'Pipe' && proc.channel != null) return true;
  return name === 'Timeout' || name === 'Immediate';
}

/** Resource names that never wake a party (used only where the handle list is unavailable). */
const QUIET_RESOURCES = new Set(['Timeout', 'Immediate', 'TTYWrap']);

/**
 * Whether a ref'd I/O handle or request of the host's could still wake a party. Node's
 * `_getActiveHandles()` lists the ref'd handles' owners, so stdio is told apart by its
 * `_isStdio` mark; where it is missing, `getActiveResourcesInfo()` gives names only and
 * every pipe counts (erring towards "can wake": a report late, never a false one).
 */
export function hostCanWake(): boolean {
  const proc = process as unknown as NodeProcess;
  if (typeof proc._getActiveHandles === 'function' && typeof proc._getActiveRequests === 'function') {
    if (proc._getActiveRequests().length !== 0) return true;
    for (const h of proc._getActiveHandles()) if (!ignored(h, proc)) return true;
    return false;
  }
  if (typeof proc.getActiveResourcesInfo !== 'function') return false;
  for (const r of proc.getActiveResourcesInfo()) if (!QUIET_RESOURCES.has(r)) return true;
  return false;
}

function watch(recheck: () => void): void {
  if (watching !== null) return;
  // The loop did something since the last look: look again soon; otherwise back off.
  delay = S.slice !== sliceAtWatch ? FIRST_DELAY : Math.min(delay * 2, LAST_DELAY);
  sliceAtWatch = S.slice;
  watching = setTimeout(() => {
    watching = null;
    recheck();
  }, delay);
  watching.unref();
}

/** Makes the loop ask Node before it reports a deadlock (called once, by lib/node/exit.ts). */
export function installHost(): void {
  setHost({ canWake: hostCanWake, watch });
}
