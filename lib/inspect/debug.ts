/**
 * Debug options: what the library records, at a cost, to make reports say more.
 *
 *  - `stacks`: where each parked operation was called — the stack of the blocking call,
 *    captured when it parks (an `Error` per park: several microseconds each).
 *  - `channels`: the channels in use (held weakly) and, per channel, the parties that
 *    have sent and received on it. Reports then list each wait's known partners and draw
 *    the wait-for edges between channels (lib/run/report.ts); `snapshot()` lists every
 *    channel used, not only those with parked waiters.
 *
 * Both are off by default and cost nothing then: they are observers (lib/inspect/bus.ts),
 * subscribed only while on.
 */
import type { Channel } from '../channel/channel';
import { observe } from './bus';
import { callerTasklet } from '../core/loop';
import { type Recorded, setRecorder } from '../run/report';
import type { Tasklet } from '../core/tasklet';
import { checkOptions } from '../base/validate';
import { holderOf, Op, sends, type Waiter } from '../core/waiter';

/** Options of {@link setDebug}. */
export interface DebugOptions {
  /** Capture the stack of every operation that parks, for reports. */
  stacks?: boolean;
  /** Remember the channels in use and who sent and received on each. */
  channels?: boolean;
}

let stacks = false;
let history = false;
let unobserve: (() => void) | null = null;

/** Where each parked waiter was parked from (a tasklet reuses its waiter: the last park wins). */
let parkStacks = new WeakMap<Waiter, string>();
/** Per channel, the parties (`undefined`: plain code) that sent and received on it. */
let users = new WeakMap<Channel<any>, { senders: Set<Tasklet | undefined>; receivers: Set<Tasklet | undefined> }>();
/** The channels seen, weakly held. */
let channels = new Set<WeakRef<Channel<any>>>();
let channelSeen = new WeakSet<Channel<any>>();

/**
 * Turns debug recording on or off; options left out keep their current value. Returns
 * what was set before. `setDebug({ stacks: true })` makes deadlock reports show where
 * each party parked; `setDebug({ channels: true })` makes them show who used each
 * channel and the wait-for cycles over channels.
 *
 * @example
 * ```ts
 * setDebug({ stacks: true, channels: true });
 * await run().catch((e: DeadlockError) => console.error(e.message)); // with stacks and cycles
 * setDebug({ stacks: false, channels: false });
 * ```
 */
export function setDebug(options: DebugOptions): Required<DebugOptions> {
  const o = (checkOptions('setDebug()', options, ['stacks', 'channels']) ?? {}) as DebugOptions;
  for (const key of ['stacks', 'channels'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw new TypeError(`setDebug(): option "${key}" must be a boolean, received ${typeof o[key]}`);
    }
  }
  setRecorder(debugInfo);
  const before = { stacks, channels: history };
  stacks = o.stacks ?? stacks;
  if (o.channels !== undefined && o.channels !== history) {
    history = o.channels;
    users = new WeakMap();
    channels = new Set();
    channelSeen = new WeakSet();
  }
  if (!stacks) parkStacks = new WeakMap();
  if (unobserve !== null) unobserve();
  unobserve = null;
  if (stacks || history) {
    unobserve = observe({
      park: stacks ? (w) => void parkStacks.set(w, callSite()) : undefined,
      channel: history ? noteUser : undefined,
    });
  }
  return before;
}

/**
 * The debug options in force.
 *
 * @example
 * ```ts
 * console.log(getDebug()); // { stacks: false, channels: false }
 * const before = setDebug({ stacks: true });
 * console.log(getDebug().stacks); // true
 * setDebug(before);
 * ```
 */
export function getDebug(): Required<DebugOptions> {
  return { stacks, channels: history };
}

function noteUser(ch: Channel<any>, sending: boolean): void {
  if (!channelSeen.has(ch)) {
    channelSeen.add(ch);
    channels.add(new WeakRef(ch));
  }
  let u = users.get(ch);
  if (u === undefined) users.set(ch, (u = { senders: new Set(), receivers: new Set() }));
  (sending ? u.senders : u.receivers).add(callerTasklet());
}

/** @internal The channels seen while `channels` was on and still alive, oldest first. */
export function knownChannels(): Channel<any>[] {
  const out: Channel<any>[] = [];
  for (const ref of channels) {
    const ch = ref.deref();
    if (ch === undefined) channels.delete(ref);
    else out.push(ch);
  }
  return out;
}

/**
 * What debug recording knows of parked waiter `w` (or, for `null`, only whether the
 * history is on). lib/run/report.ts reads it once `setDebug()` has installed it there.
 */
function debugInfo(w: Waiter | null): Recorded {
  const out: Recorded = { history };
  if (w === null) return out;
  const stack = parkStacks.get(w);
  if (stack !== undefined && w._queue !== null) out.stack = stack;
  if (history && w._queue !== null) {
    const ch = holderOf(w) as Channel<any>;
    const u = users.get(ch);
    if (w._op !== Op.Join) out.partners = u === undefined ? [] : [...(sends(w._op) ? u.receivers : u.senders)];
  }
  return out;
}

/**
 * The folder the library runs from, to cut its own frames out of captured stacks: the
 * one above this file's room (lib/ for lib/inspect/debug.ts, dist/ for
 * dist/inspect/debug.js), or this file's own where it has none (a bundled chunk).
 */
const libraryDir: string | undefined = (() => {
  const frame = (new Error().stack ?? '').split('\n')[1] ?? '';
  const m = /(?:\(|at )((?:file:\/\/)?\/?[^():]*[\\/])[^\\/():]+:\d+:\d+\)?\s*$/.exec(frame);
  return m === null ? undefined : m[1].replace(/inspect[\\/]$/, '');
})();

/** The stack of the caller of the library, without the library's own frames. */
function callSite(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  const user = lines.filter((l) => libraryDir === undefined || !l.includes(libraryDir));
  return user
    .slice(0, 8)
    .map((l) => l.trim())
    .join('\n');
}
