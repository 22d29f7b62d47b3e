/**
 * The deadlock report's data: what `DeadlockError.report` holds and what `snapshot()`
 * reuses — parties, channels, waits, the wait-for graph — and what the report reads of
 * debug recording.
 */
import type { Tasklet } from '../core/tasklet';

/** A party: a tasklet (`id`, `name`) or plain code (`id: null`). */
export interface PartyInfo {
  /** The tasklet's id; `null` for plain code. */
  id: number | null;
  /** The tasklet's name; `'plain code'` for plain code. */
  name: string;
  /** `tasklet "name" (#id)` or `plain code`. */
  label: string;
  /** For a tasklet: it has finished (only in partner lists). */
  finished?: boolean;
}

/** A channel as a report shows it. */
export interface ChannelInfo {
  /** The channel's name. */
  name: string;
  /** Parked senders minus parked receivers. */
  balance: number;
  /** Values in the buffer. */
  length: number;
  /** `null` stands for an unbounded buffer (`Infinity` is not JSON). */
  capacity: number | null;
  /** `close()` was called (and `open()` not since). */
  closing: boolean;
}

/** What a parked party waits on. */
export interface WaitInfo {
  /** What the party waits in: a send, a receive, a `join()` (or `kill()`), a select, or something else of the library's. */
  op: 'send' | 'receive' | 'join' | 'select' | 'other';
  /** For a send or a receive: the channel. */
  channel?: ChannelInfo;
  /** For a join: the tasklet waited for. */
  tasklet?: PartyInfo;
  /** For a select: each parked case. */
  cases?: {
    /** The case's direction. */
    op: 'send' | 'receive';
    /** The case's channel. */
    channel: ChannelInfo;
  }[];
  /** With `setDebug({ channels: true })`: parties that used the other side of the channel before. */
  partners?: PartyInfo[];
  /** With `setDebug({ stacks: true })`: where the operation was called. */
  stack?: string;
  /** One line of text: `receives on channel "x" (balance -1)`. */
  text: string;
}

/** A parked party and its wait. */
export interface ParkedInfo {
  /** Who is parked. */
  party: PartyInfo;
  /** What it waits on. */
  wait: WaitInfo;
}

/** An edge of the wait-for graph: `from` waits for `to`, over `via` (a channel's or tasklet's label). */
export interface WaitEdge {
  /** The waiting party's id (`null`: plain code). */
  from: number | null;
  /** The id of the party it waits for (`null`: plain code). */
  to: number | null;
  /** What it waits over: `channel "x"` or `tasklet "name" (#id)`. */
  via: string;
}

/** What `DeadlockError.report` holds. */
export interface DeadlockReport {
  /** Parked tasklets in creation order, then parked plain-code operations. */
  parked: ParkedInfo[];
  /** The wait-for graph (see the top of lib/run/report.ts). */
  edges: WaitEdge[];
  /** Cycles of the graph, each a list of parties, the first repeated at the end. */
  cycles: PartyInfo[][];
  /** Whether the channel history was on, so that channel edges could be drawn. */
  channelHistory: boolean;
}

/**
 * What debug recording knows of a parked waiter, as the report reads it: lib/inspect/debug.ts
 * provides it through `setRecorder()` once `setDebug()` turns recording on.
 */
export interface Recorded {
  /** The parties that used the other side of its channel (with the channel history on). */
  partners?: (Tasklet | undefined)[];
  /** Where it parked (with stacks on). */
  stack?: string;
  history: boolean;
}
