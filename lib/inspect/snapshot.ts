/**
 * A picture of the scheduler at one moment, as plain data (JSON-able): every tasklet
 * alive with its state and what it waits on, the run queue in order, plain-code
 * operations parked, and the channels.
 *
 * Channels are registered nowhere (that would cost every `new Channel()`), so the
 * snapshot reaches them through their parked waiters; with `setDebug({ channels: true })`
 * it lists every channel used since, parked on or not.
 */
import type { Channel } from '../channel/channel';
import { knownChannels } from './debug';
import { loopInternals, S } from '../core/loop';
import { channelInfo, type ChannelInfo, partyOf, type PartyInfo, waitInfo, type WaitInfo } from '../run/report';
import { statistics, type ChannelStatistics } from './stats';
import type { Tasklet } from '../core/tasklet';
import { holderOf, Op, type Waiter } from '../core/waiter';

/** A tasklet in a {@link Snapshot}. */
export interface TaskletSnapshot extends PartyInfo {
  /**
   * `'running'` its slice is in flight; `'runnable'` in the run queue; `'new'` in the run
   * queue, not started yet; `'blocked'` parked on a channel, a select or a join;
   * `'paused'` taken off the run queue by `remove()`; `'outside'` awaiting something
   * outside the library (a timer, I/O, a foreign promise).
   */
  state: 'running' | 'runnable' | 'blocked' | 'paused' | 'outside' | 'new';
  /** For a blocked tasklet: what it waits on. */
  wait?: WaitInfo;
}

/** A channel in a {@link Snapshot}. */
export interface ChannelSnapshot extends ChannelInfo {
  /** Parked senders, oldest first. */
  senders: PartyInfo[];
  /** Parked receivers, oldest first. */
  receivers: PartyInfo[];
  /** Its statistics, when `recordStatistics` is on for it. */
  statistics?: ChannelStatistics;
}

/** What {@link snapshot} returns. */
export interface Snapshot {
  /** The party whose slice is in flight: a tasklet, plain code, or `null` when none is. */
  running: PartyInfo | null;
  /** Runnable parties in the order the loop will resume them. */
  runQueue: PartyInfo[];
  /** Every tasklet alive, in creation order. */
  tasklets: TaskletSnapshot[];
  /** Plain-code operations parked on channels. */
  plain: WaitInfo[];
  /** Channels with parked waiters (every channel used, with `setDebug({ channels: true })`). */
  channels: ChannelSnapshot[];
}

/**
 * A JSON-able picture of the scheduler now: tasklets with their state and where they
 * wait, the run queue in order, parked plain-code operations, and channels with their
 * balance, buffer length and parked waiters.
 *
 * @example
 * ```ts
 * const ch = new Channel<number>({ name: 'jobs' });
 * tasklet(async () => ch.receive(), { name: 'worker' })();
 * await schedule();
 * console.log(JSON.stringify(snapshot().channels));
 * // [{"name":"jobs","balance":-1,"length":0,"capacity":0,"closing":false,"senders":[],"receivers":[{"id":1,...}]}]
 * ```
 */
export function snapshot(): Snapshot {
  const { alive, parkedPlain, runq } = loopInternals();
  const channels = new Set<Channel<any>>(knownChannels());
  const noteChannels = (w: Waiter): void => {
    const sel = (w._select ?? null) as { waiters?: Waiter[] } | null;
    for (const c of sel?.waiters ?? [w]) {
      const holder = holderOf(c) as Channel<any> | null;
      if (holder !== null && '_sendq' in holder) channels.add(holder);
    }
  };
  const tasklets: TaskletSnapshot[] = [];
  for (const t of alive) {
    const s: TaskletSnapshot = { ...partyOf(t), state: stateOf(t) };
    const w = t._waiter;
    if (s.state === 'blocked' && w !== null) {
      s.wait = waitInfo(w);
      noteChannels(w);
    }
    tasklets.push(s);
  }
  const plain: WaitInfo[] = [];
  for (const w of parkedPlain) {
    plain.push(waitInfo(w));
    noteChannels(w);
  }
  const runQueue: PartyInfo[] = [];
  for (const w of runq) if (w._inRunq) runQueue.push(partyOf(w._owner));
  return {
    running: S.busy ? partyOf(S.current) : null,
    runQueue,
    tasklets,
    plain,
    channels: [...channels].map(channelSnapshot),
  };
}

function stateOf(t: Tasklet): TaskletSnapshot['state'] {
  if (t._paused) return 'paused';
  if (S.busy && S.current === t) return 'running';
  const w = t._waiter;
  if (w !== null && w._queue !== null) return 'blocked';
  if (w !== null && w._inRunq) return w._op === Op.Start ? 'new' : 'runnable';
  return 'outside';
}

function channelSnapshot(ch: Channel<any>): ChannelSnapshot {
  const s: ChannelSnapshot = {
    ...channelInfo(ch),
    senders: [...ch._waiters(true)].map((w) => partyOf(w._owner)),
    receivers: [...ch._waiters(false)].map((w) => partyOf(w._owner)),
  };
  const stats = statistics(ch);
  if (stats !== undefined) s.statistics = stats;
  return s;
}
