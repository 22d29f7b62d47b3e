/**
 * The Node-only half of "see inside", re-exported by the `tasklets/node` entry (lib/node.ts):
 *
 *  - **No silent exit.** Importing this module installs a `'beforeExit'` check: when the
 *    event loop has drained while tasklets or plain-code operations are still parked on
 *    channels, or tasklets still await a promise outside the library — nothing can ever
 *    wake them — it prints the deadlock report (and names those tasklets) to stderr and
 *    sets a non-zero exit code (1, unless one is set already). A top-level
 *    `await ch.receive()` that can never complete names its channel on the way out.
 *    `setExitCheck(false)` turns it off. An explicit `process.exit()` is not checked:
 *    the program chose to end.
 *  - **diagnostics_channel.** The schedule and channel events are published on
 *    `tasklets:schedule` (`{ prev, next }`) and `tasklets:channel`
 *    (`{ channel, tasklet, sending, willBlock }`), and only while someone subscribes: the
 *    library's observer is installed when the first subscriber comes and removed when
 *    the last one goes, so an unobserved program pays nothing.
 */
import dc from 'node:diagnostics_channel';
import { writeSync } from 'node:fs';
import { observe, willPark } from '../hooks';
import { callerTasklet, loopInternals } from '../loop';
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

// ---------------------------------------------------------------------------------
// diagnostics_channel

/** What `tasklets:schedule` publishes: the loop switches from `prev` to `next` (`undefined`: plain code). */
export interface ScheduleMessage {
  prev: Tasklet | undefined;
  next: Tasklet | undefined;
}

/** What `tasklets:channel` publishes before every channel operation. */
export interface ChannelMessage {
  channel: import('../channel').Channel<any>;
  tasklet: Tasklet | undefined;
  sending: boolean;
  willBlock: boolean;
}

/** The names of the diagnostics channels the library publishes on. */
export const diagnosticsChannels = Object.freeze({ schedule: 'tasklets:schedule', channel: 'tasklets:channel' });

const scheduleChannel = dc.channel(diagnosticsChannels.schedule);
const channelChannel = dc.channel(diagnosticsChannels.channel);
let unobserve: (() => void) | null = null;
let lastResumed: Tasklet | undefined = undefined;

/** Installs the library's observer while either channel has a subscriber, removes it after. */
function refresh(): void {
  const wanted = !patched || scheduleChannel.hasSubscribers || channelChannel.hasSubscribers;
  if (wanted && unobserve === null) {
    lastResumed = undefined;
    unobserve = observe({
      resume(_w, t) {
        const prev = lastResumed;
        lastResumed = t;
        if (scheduleChannel.hasSubscribers) scheduleChannel.publish({ prev, next: t } satisfies ScheduleMessage);
      },
      channel(ch, sending, mayBlock) {
        if (channelChannel.hasSubscribers) {
          channelChannel.publish({ channel: ch, tasklet: callerTasklet(), sending, willBlock: mayBlock && willPark(ch, sending) } satisfies ChannelMessage);
        }
      },
    });
  } else if (!wanted && unobserve !== null) {
    unobserve();
    unobserve = null;
  }
}

/**
 * Node has no event for "someone subscribed", so the two channel objects get their own
 * `subscribe`/`unsubscribe` that call Node's and then refresh. `dc.subscribe(name, fn)`
 * goes through the same object (Node keeps one per name while it is referenced, and
 * this module holds both). If a runtime's objects cannot be patched, the observer stays
 * installed and checks `hasSubscribers` on each event instead.
 */
function watchSubscriptions(ch: dc.Channel): boolean {
  try {
    for (const method of ['subscribe', 'unsubscribe'] as const) {
      Object.defineProperty(ch, method, {
        configurable: true,
        writable: true,
        value(this: dc.Channel, fn: dc.ChannelListener) {
          const result = (Object.getPrototypeOf(this)[method] as (fn: dc.ChannelListener) => unknown).call(this, fn);
          refresh();
          return result;
        },
      });
    }
    return true;
  } catch {
    return false;
  }
}

/** Subscriptions are seen as they happen; otherwise the observer stays installed. */
const patched = watchSubscriptions(scheduleChannel) && watchSubscriptions(channelChannel);
refresh();
