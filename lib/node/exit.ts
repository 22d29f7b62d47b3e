/**
 * What happens when Node's event loop drains (Node only). Importing this module turns it
 * on; `tasklets` under Node and `tasklets/node` both import it.
 *
 * When the process is about to exit — Node raises `'beforeExit'` exactly when its event
 * loop has nothing left — parties still parked on channels, and tasklets still awaiting
 * a promise outside the library, can never be woken:
 *  1. a pending `run()` rejects with `DeadlockError` naming them, and the program goes
 *     on (it may kill them, or log and exit);
 *  2. with no `run()` pending, the exit check prints the same report to stderr and sets
 *     a non-zero exit code (1, unless one is set already). A top-level
 *     `await ch.receive()` that can never complete names its channel on the way out.
 *     `setExitCheck(false)` turns the check off (not 1). An explicit `process.exit()` is
 *     not checked: the program chose to end.
 *
 * The decision waits for the program's own `'beforeExit'` handlers and the loop's turn:
 * the library's listener, registered first, only queues it as an immediate, which runs
 * after every handler and every tick and microtask they led to. If they made work (a
 * handler closed a channel and a worker went on), nothing is decided; Node raises
 * `'beforeExit'` again once that work is done.
 *
 * It also installs Node's `Host` (lib/node/host.ts), so that `run()` does not call a
 * live service deadlocked.
 */
import { writeSync } from 'node:fs';
import { failRuns, loopInternals, S } from '../core/loop';
import { deadlockError, deadlockReport, formatReport, strandedLine } from '../run/report';
import type { Tasklet } from '../core/tasklet';
import { holdDeadlines } from '../time/timers';
import { hostCanWake, installHost } from './host';

let exitCheck = false;
let lastPrinted = '';
/** The loop's settlement count when the last decision was made: nothing ran since, decide nothing new. */
let decidedAt = -1;
let deciding = false;

/** Tasklets awaiting a promise outside the library (stranded, once the event loop has drained). */
function outside(): Tasklet[] {
  const stranded: Tasklet[] = [];
  for (const t of loopInternals().alive) if (t._outside) stranded.push(t);
  return stranded;
}

function onBeforeExit(): void {
  const { parkedPlain, pendingRuns, aliveCount, paused } = loopInternals();
  if (deciding || S.slice === decidedAt) return;
  if (pendingRuns === 0 && parkedPlain.size === 0 && aliveCount === paused) return; // nothing waits
  deciding = true;
  setImmediate(decide);
}

/** Runs after the program's own `'beforeExit'` handlers and what they led to. */
function decide(): void {
  deciding = false;
  // They made work, or armed a timer or I/O: 'beforeExit' comes again once it is done.
  if (S.busy || S.live !== 0 || S.pulsePending) return;
  const resources = process.getActiveResourcesInfo();
  if (resources.includes('Timeout') || resources.includes('Immediate') || hostCanWake()) return;
  const stranded = outside();
  const report = deadlockReport();
  if (report.parked.length === 0 && stranded.length === 0) {
    decidedAt = S.slice;
    return;
  }
  // A pending `timeoutSignal` deadline may still wake a parked party: wait for it.
  if (holdDeadlines()) return;
  decidedAt = S.slice;
  if (failRuns(deadlockError(stranded))) return; // the program hears of it through run()
  if (!exitCheck) return;
  const n = report.parked.length;
  const parts: string[] = [];
  if (n !== 0) parts.push(`${n} ${n === 1 ? 'party' : 'parties'} parked on channels`);
  if (stranded.length !== 0) parts.push(`${stranded.length} ${stranded.length === 1 ? 'tasklet' : 'tasklets'} awaiting a promise outside the library`);
  let text = formatReport(`tasklets: the process is exiting with ${parts.join(' and ')}, which nothing can wake now`, report);
  for (const t of stranded) text += `\n  ${strandedLine(t)}`;
  if (text === lastPrinted) return;
  lastPrinted = text;
  writeSync(2, `${text}\n`);
  if (!process.exitCode) process.exitCode = 1;
}

/**
 * Turns the exit check on or off (it is on once `tasklets` or `tasklets/node` is
 * imported under Node); returns whether it was on. When on, a process whose event loop
 * drains while parties are parked on channels prints the deadlock report to stderr and
 * exits with code 1. A pending `run()` still rejects with `DeadlockError` then.
 *
 * @example
 * ```ts
 * import { setExitCheck } from 'tasklets/node';
 * setExitCheck(false); // a server that parks consumers on purpose at shutdown
 * ```
 */
export function setExitCheck(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`setExitCheck(): on must be a boolean, received ${typeof on}`);
  const before = exitCheck;
  exitCheck = on;
  return before;
}

installHost();
process.on('beforeExit', onBeforeExit);
setExitCheck(true);
