/**
 * The deadlock report: who is parked, on what, and who waits for whom.
 *
 * A report is plain data (JSON-able) and a text rendering of it. `run()` puts both in
 * its `DeadlockError` (`.report`, `.message`); the Node entry prints the text when the
 * process is about to exit with parties still parked.
 *
 * The wait-for graph. A parked party A *waits for* party B (edge A → B) when B is one of
 * the parties that could complete A's operation, and B is itself parked:
 *  - A joins B (`join()`, `kill()`): B's end completes it — always known.
 *  - A parks on channel x to receive (send), and B is a *known sender* (receiver) of x:
 *    a party that has sent (received) on x before. Channels do not remember their users
 *    for free, so these edges exist only with `setDebug({ channels: true })` (lib/inspect/debug.ts);
 *    without it, only join edges are drawn.
 * Plain code counts as one party (like Stackless's main tasklet). A cycle in this graph
 * is a set of parties each waiting for the next: none of them can move first. With the
 * channel history on, each wait also lists its known partners, alive or finished — "the
 * only senders on x have finished" is often the whole diagnosis.
 */
import type { Channel } from '../channel/channel';
import { DeadlockError } from './deadlock-error';
import { loopInternals } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import { holderOf, Op, sends, type Waiter } from '../core/waiter';
import type { ChannelInfo, DeadlockReport, ParkedInfo, PartyInfo, Recorded, WaitEdge, WaitInfo } from './types';

export type { ChannelInfo, DeadlockReport, ParkedInfo, PartyInfo, Recorded, WaitEdge, WaitInfo } from './types';

/**
 * What debug recording knows of a parked waiter (or, for `null`, only whether the channel
 * history is on). Nothing is recorded before the first `setDebug()`, which installs
 * lib/inspect/debug.ts's `debugInfo` here: a program that never records carries no debug code.
 */
let recorded: (w: Waiter | null) => Recorded = () => ({ history: false });

/** @internal Called by `setDebug()`. */
export function setRecorder(read: (w: Waiter | null) => Recorded): void {
  recorded = read;
}

const PLAIN: PartyInfo = Object.freeze({ id: null, name: 'plain code', label: 'plain code' });

/**
 * Parties of other threads (installed by lib/worker/peers.ts): a label for a plain-code
 * waiter that serves one of their operations here, and lines naming their parked parties
 * when a deadlock spans threads.
 */
let elsewhere: { label(w: Waiter): string | undefined; lines(): readonly string[] } | null = null;

/** @internal Called by lib/worker/peers.ts. */
export function setElsewhere(e: typeof elsewhere): void {
  elsewhere = e;
}

/** @internal A tasklet as a report shows it. */
export function partyOf(t: Tasklet | undefined): PartyInfo {
  if (t === undefined) return PLAIN;
  const p: PartyInfo = { id: t.id, name: t.name, label: String(t) };
  if (!t.alive) p.finished = true;
  return p;
}

/** @internal A channel as a report shows it. */
export function channelInfo(ch: Channel<any>): ChannelInfo {
  return { name: ch.name, balance: ch.balance, length: ch.length, capacity: ch.capacity === Infinity ? null : ch.capacity, closing: ch.closing };
}

function channelText(c: ChannelInfo): string {
  const buffer = c.capacity === 0 ? '' : `, buffer ${c.length}/${c.capacity === null ? '∞' : c.capacity}`;
  return `channel ${JSON.stringify(c.name)} (balance ${c.balance}${buffer}${c.closing ? ', closing' : ''})`;
}

function isChannel(x: unknown): x is Channel<any> {
  return x !== null && typeof x === 'object' && '_sendq' in x && '_recvq' in x;
}

/** The select a case waiter belongs to (lib/select/select.ts, where it exists). */
function selectOf(w: Waiter): { describe(): string; waiters?: Waiter[] } | null {
  const s = w._select ?? null;
  return s === null || s === undefined ? null : s;
}

/** @internal What parked waiter `w` waits on. */
export function waitInfo(w: Waiter): WaitInfo {
  const debug = recorded(w);
  const sel = selectOf(w);
  let info: WaitInfo;
  if (sel !== null) {
    const cases = (sel.waiters ?? [])
      .filter((c) => isChannel(holderOf(c)))
      .map((c) => ({ op: sends(c._op) ? ('send' as const) : ('receive' as const), channel: channelInfo(holderOf(c) as Channel) }));
    info = { op: 'select', cases, text: sel.describe() };
  } else if (w._queue === null) {
    info = { op: 'other', text: 'waits on nothing' };
  } else if (w._op === Op.Join) {
    const t = holderOf(w) as Tasklet;
    info = { op: 'join', tasklet: partyOf(t), text: `waits for ${t}` };
  } else if (isChannel(holderOf(w))) {
    const ch = holderOf(w) as Channel;
    const op = sends(w._op) ? 'send' : 'receive';
    const c = channelInfo(ch);
    info = { op, channel: c, text: `${op === 'send' ? 'sends on' : 'receives on'} ${channelText(c)}` };
  } else {
    info = { op: 'other', text: `waits on ${String(holderOf(w))}` };
  }
  if (debug.partners !== undefined) info.partners = debug.partners.map(partyOf);
  if (debug.stack !== undefined) info.stack = debug.stack;
  return info;
}

/** The channels and tasklets a wait is on, with the side it waits for, for graph edges. */
function waitTargets(w: Waiter): { via: string; partners: (Tasklet | undefined)[] }[] {
  if (w._queue === null) return [];
  if (w._op === Op.Join) return [{ via: String(holderOf(w)), partners: [holderOf(w) as Tasklet] }];
  const sel = selectOf(w);
  const waiters = sel !== null ? (sel.waiters ?? []) : [w];
  return waiters.filter((c) => isChannel(holderOf(c))).map((c) => ({ via: String(holderOf(c)), partners: recorded(c).partners ?? [] }));
}

/**
 * @internal The report on every party parked now: tasklets parked in a wait queue (not
 * paused), then plain-code operations.
 */
export function deadlockReport(): DeadlockReport {
  const { alive, parkedPlain } = loopInternals();
  const parked: ParkedInfo[] = [];
  const waits: { from: Tasklet | undefined; w: Waiter }[] = [];
  for (const t of alive) {
    const w = t._waiter;
    if (t._paused || w === null || w._queue === null) continue;
    parked.push({ party: partyOf(t), wait: waitInfo(w) });
    waits.push({ from: t, w });
  }
  for (const w of parkedPlain) {
    const label = elsewhere?.label(w);
    parked.push({ party: label === undefined ? PLAIN : { id: null, name: label, label }, wait: waitInfo(w) });
    waits.push({ from: undefined, w });
  }
  // Edges between parked parties only: a partner that can still run is no deadlock.
  const parkedIds = new Set(waits.map((x) => (x.from === undefined ? null : x.from.id)));
  const edges: WaitEdge[] = [];
  const seen = new Set<string>();
  for (const { from, w } of waits) {
    const a = from === undefined ? null : from.id;
    for (const { via, partners } of waitTargets(w)) {
      for (const p of partners) {
        const b = p === undefined ? null : p.id;
        if (!parkedIds.has(b) || (p !== undefined && !p.alive)) continue;
        const key = `${a}>${b}>${via}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from: a, to: b, via });
      }
    }
  }
  const byId = new Map<number | null, PartyInfo>(parked.map((p) => [p.party.id, p.party]));
  const cycles = findCycles(edges).map((ids) => ids.map((id) => byId.get(id)!));
  return { parked, edges, cycles, channelHistory: recorded(null).history };
}

/**
 * One cycle per strongly connected component that has one (Tarjan), each starting at
 * its smallest id — enough to show that a set of parties waits in a circle.
 */
function findCycles(edges: readonly WaitEdge[]): (number | null)[][] {
  const next = new Map<number | null, (number | null)[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.get(e.from)!.includes(e.to)) next.get(e.from)!.push(e.to);
  }
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const index = new Map<number | null, number>();
  const low = new Map<number | null, number>();
  const stack: (number | null)[] = [];
  const onStack = new Set<number | null>();
  const components: (number | null)[][] = [];
  let counter = 0;
  const connect = (v: number | null): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const u of next.get(v) ?? []) {
      if (!index.has(u)) {
        connect(u);
        low.set(v, Math.min(low.get(v)!, low.get(u)!));
      } else if (onStack.has(u)) low.set(v, Math.min(low.get(v)!, index.get(u)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: (number | null)[] = [];
      let u: number | null;
      do {
        u = stack.pop()!;
        onStack.delete(u);
        c.push(u);
      } while (u !== v);
      components.push(c);
    }
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  const order = (x: number | null): number => (x === null ? 0 : x);
  const cycles: (number | null)[][] = [];
  for (const comp of components) {
    const inComp = new Set(comp);
    const start = comp.reduce((a, b) => (order(a) <= order(b) ? a : b));
    if (comp.length === 1 && !(next.get(start) ?? []).includes(start)) continue;
    // Shortest way back to `start` inside the component (breadth first).
    const from = new Map<number | null, number | null>();
    const queue: (number | null)[] = [start];
    let found = false;
    while (queue.length !== 0 && !found) {
      const v = queue.shift()!;
      for (const u of next.get(v) ?? []) {
        if (!inComp.has(u)) continue;
        if (u === start) {
          from.set(start, v);
          found = true;
          break;
        }
        if (!from.has(u)) {
          from.set(u, v);
          queue.push(u);
        }
      }
    }
    const path: (number | null)[] = [start];
    for (let v = from.get(start)!; v !== start; v = from.get(v)!) path.push(v);
    path.push(start);
    cycles.push([path[0], ...path.slice(1, -1).reverse(), start]);
  }
  return cycles;
}

/** @internal The report as text, below a first line `headline`. */
export function formatReport(headline: string, report: DeadlockReport): string {
  const lines = [headline];
  for (const { party, wait } of report.parked) {
    lines.push(`  ${party.label} ${wait.text}`);
    if (wait.partners !== undefined && (wait.op === 'send' || wait.op === 'receive')) {
      const side = wait.op === 'send' ? 'receivers' : 'senders';
      const names = wait.partners.map((p) => (p.finished ? `${p.label}, finished` : p.label));
      lines.push(`    known ${side}: ${names.length === 0 ? 'none ever' : names.join('; ')}`);
    }
    if (wait.stack !== undefined) for (const frame of wait.stack.split('\n')) lines.push(`    ${frame.trim()}`);
  }
  for (const cycle of report.cycles) lines.push(`wait-for cycle: ${cycle.map((p) => p.label).join(' → ')}`);
  return lines.join('\n');
}

/**
 * @internal The error `run()` rejects with when parked parties can never be woken.
 * `stranded`: tasklets awaiting a promise outside the library that nothing can settle
 * any more (known only when the host's event loop has drained: lib/node/exit.ts); they
 * are named after the parked ones and counted among `tasklets`.
 */
export function deadlockError(stranded: readonly Tasklet[] = []): DeadlockError {
  const report = deadlockReport();
  const tasklets: Tasklet[] = [];
  for (const t of loopInternals().alive) {
    const w = t._waiter;
    if (!t._paused && w !== null && w._queue !== null) tasklets.push(t);
  }
  const n = tasklets.length;
  let headline = `deadlock: ${n} tasklet${n === 1 ? '' : 's'} parked and nothing runnable`;
  if (stranded.length !== 0) headline += `, ${stranded.length} awaiting a promise outside the library that nothing can settle`;
  let message = formatReport(headline, report);
  for (const t of stranded) message += `\n  ${strandedLine(t)}`;
  for (const line of elsewhere?.lines() ?? []) message += `\n${line}`;
  const all = stranded.length === 0 ? tasklets : [...tasklets, ...stranded];
  // Without stack frames: they would always be the run loop's own (this function, the
  // pulse), never a line of the program, and Node prints them, with the source line of
  // the first, under an uncaught error. The report says where each party waits (and,
  // with `setDebug({ stacks: true })`, where it parked).
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  if (typeof limit !== 'number') return new DeadlockError(message, all, report); // not V8: leave it be
  E.stackTraceLimit = 0;
  try {
    return new DeadlockError(message, all, report);
  } finally {
    E.stackTraceLimit = limit;
  }
}

/** How a report names a tasklet awaiting a promise that nothing can settle now. */
export function strandedLine(t: Tasklet): string {
  return `${t} awaits a promise that nothing can settle now (not a channel, timer or I/O of this process)`;
}
