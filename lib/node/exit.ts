/**
 * The exit check (Node only): when the process is about to exit — its event loop has
 * drained — while tasklets or plain-code operations are still parked on channels, or
 * tasklets still await a promise outside the library, nothing can ever wake them: it
 * prints the deadlock report (and names those tasklets) to stderr and sets a non-zero
 * exit code (1, unless one is set already). A top-level `await ch.receive()` that can
 * never complete names its channel on the way out. `setExitCheck(false)` turns it off.
 * An explicit `process.exit()` is not checked: the program chose to end.
 *
 * Importing this module turns the check on; `tasklets` under Node and `tasklets/node`
 * both import it.
 */
import { writeSync } from 'node:fs';
import { loopInternals } from '../loop';
import { deadlockReport, formatReport } from '../report';
import type { Tasklet } from '../tasklet';

let exitCheck = false;
let lastPrinted = '';

function onBeforeExit(): void {
  const report = deadlockReport();
  const n = report.parked.length;
  // The event loop has drained: a tasklet waiting outside the library awaits a promise
  // that nothing can settle any more (no timer, no I/O is left to do it).
  const stranded: Tasklet[] = [];
  for (const t of loopInternals().alive) if (t._outside) stranded.push(t);
  if (n === 0 && stranded.length === 0) return;
  const parts: string[] = [];
  if (n !== 0) parts.push(`${n} ${n === 1 ? 'party' : 'parties'} parked on channels`);
  if (stranded.length !== 0) parts.push(`${stranded.length} ${stranded.length === 1 ? 'tasklet' : 'tasklets'} awaiting a promise outside the library`);
  let text = formatReport(`tasklets: the process is exiting with ${parts.join(' and ')}, which nothing can wake now`, report);
  for (const t of stranded) text += `\n  ${t} awaits a promise that nothing can settle now (not a channel, timer or I/O of this process)`;
  if (text === lastPrinted) return; // 'beforeExit' again, nothing changed
  lastPrinted = text;
  writeSync(2, `${text}\n`);
  if (!process.exitCode) process.exitCode = 1;
}

/**
 * Turns the exit check on or off (it is on once `tasklets/node` is imported); returns
 * whether it was on. When on, a process whose event loop drains while parties are
 * parked on channels prints the deadlock report to stderr and exits with code 1.
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
  if (on && !exitCheck) process.on('beforeExit', onBeforeExit);
  if (!on && exitCheck) process.off('beforeExit', onBeforeExit);
  exitCheck = on;
  return before;
}

setExitCheck(true);
