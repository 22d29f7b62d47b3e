/**
 * The deadlock report across threads. A channel's owner counts each open shared end as a
 * source that may still wake a party (`countSource`), so a thread whose parties wait on
 * each other through another thread never calls itself deadlocked — and, alone, it cannot
 * know better: the other thread may be about to send. This file asks.
 *
 * Every port of a shared channel (both ends) is registered here. In a thread with a
 * pending `run()` whose loop has nothing left but parked parties and open shared ends, a
 * *wave* goes out: `peek` on every port. A thread receiving a wave's first `peek` passes
 * it on through its other ports, gathers the answers, and answers `seen` with a snapshot
 * of itself and of the threads behind it; a later `peek` of the same wave is answered
 * with nothing. A snapshot says whether the thread's loop is idle (nothing runnable, no
 * library timer armed, no tasklet awaiting anything but a remote operation, nothing of
 * the host's that could wake a party but message ports), how many channel messages it
 * has sent and received, and its parked parties.
 *
 * Two complete waves in a row in which every thread is idle, each thread's counts are the
 * same in both, and the messages sent equal those received (none in flight), mean no
 * thread did anything between them and none can: a deadlock across threads (the
 * four-counter method of termination detection). The asking thread then stops counting
 * its shared ends as sources for one pulse of its loop, which reports the deadlock with
 * the other threads' parties added, and counts them again.
 *
 * What cannot be known: a thread busy computing does not answer, so no wave completes and
 * nothing is reported while it computes (it is not parked); a thread's plain code awaiting
 * something the library does not see (a user's message port, a timer) looks idle, as it
 * does to a thread's own deadlock check.
 *
 * @internal
 */
import { type MessagePort, threadId } from 'node:worker_threads';
import { countSource, loopInternals, S } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import type { Waiter } from '../core/waiter';
import { deadlockReport, setElsewhere } from '../run/report';

/** One thread's answer to a wave. */
export interface Snapshot {
  thread: number;
  idle: boolean;
  /** Per shared end: its link's id, channel messages sent and received through it. */
  links: [string, number, number][];
  parked: string[];
}

export type PeerMessage = { t: 'peek'; w: string } | { t: 'seen'; w: string; snaps: Snapshot[] };

/** This thread's shared ends: each port's link (the id both ends know) and the channel messages (not waves) sent and received through it. */
const ports = new Map<MessagePort, { link: string; sent: number; received: number }>();

/** A channel message went out through `port`. */
export function sent(port: MessagePort): void {
  const l = ports.get(port);
  if (l !== undefined) l.sent++;
}

/** A channel message came in through `port`. */
export function received(port: MessagePort): void {
  const l = ports.get(port);
  if (l !== undefined) l.received++;
}
/** Shared ends this thread owns and counts as sources. */
let sources = 0;
/** Waiters parked here on behalf of other threads' operations (they describe those themselves). */
export const served = new WeakSet<Waiter>();
/** This thread's operations on other threads' channels in progress, with their channel. */
export const remoteWaits = new Map<{ by: Tasklet | undefined | null; what: string }, { _where(): string }>();

/** Registers a shared end's port (`owner`: this thread owns the channel and counts the port as a source). */
export function addPort(port: MessagePort, owner: boolean, link: string): void {
  if (ports.size === 0) setElsewhere({ label: (w) => (served.has(w) ? SERVED : undefined), lines: () => lines }); // at first use, not at load
  ports.set(port, { link, sent: 0, received: 0 });
  if (owner) sources++;
  arm();
}

/** The port closed. */
export function removePort(port: MessagePort, owner: boolean): void {
  ports.delete(port);
  if (owner) sources--;
  for (const wave of waves.values()) wave.answer(port, []);
  if (ports.size === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

function post(port: MessagePort, m: PeerMessage): void {
  try {
    port.postMessage(m);
  } catch {
    // closing: its 'close' answers for it
  }
}

/** A wave this thread takes part in: the answers it waits for. */
class Wave {
  readonly snaps: Snapshot[] = [];
  readonly waiting = new Set<MessagePort>();
  constructor(
    readonly done: (snaps: Snapshot[]) => void,
    except: MessagePort | null,
  ) {
    for (const p of ports.keys()) if (p !== except) this.waiting.add(p);
  }
  answer(port: MessagePort, snaps: Snapshot[]): void {
    if (!this.waiting.delete(port)) return;
    this.snaps.push(...snaps);
    if (this.waiting.size === 0) this.done(this.snaps);
  }
}
const waves = new Map<string, Wave>();
/** Waves this thread has joined, oldest first (a few are kept). */
const joined: string[] = [];

/** Starts wave `w` through every port but `except`; `done` gets every snapshot gathered, this thread's first. */
function spread(w: string, except: MessagePort | null, done: (snaps: Snapshot[]) => void): void {
  joined.push(w);
  // An old wave still waiting (on a thread busy computing) is forgotten: its asker gave up.
  if (joined.length > 16) waves.delete(joined.shift()!);
  const own = snapshot(except === null);
  const wave = new Wave((snaps) => {
    waves.delete(w);
    done([own, ...snaps]);
  }, except);
  waves.set(w, wave);
  if (wave.waiting.size === 0) return wave.done([]);
  for (const p of wave.waiting) post(p, { t: 'peek', w });
}

/** A `peek` or `seen` arrived on `port`. */
export function hearPeer(port: MessagePort, m: PeerMessage): void {
  if (m.t === 'seen') waves.get(m.w)?.answer(port, m.snaps);
  else if (joined.includes(m.w)) post(port, { t: 'seen', w: m.w, snaps: [] });
  else spread(m.w, port, (snaps) => post(port, { t: 'seen', w: m.w, snaps }));
}

/**
 * Host resources that cannot wake a party here: the terminal, and message ports (the
 * channels' own ports, whose far ends are asked; a user's port is taken to be quiet too).
 * A timer is not quiet: plain code may send when it fires.
 */
const QUIET = new Set(['TTYWrap', 'MessagePort']);

function loopIdle(): boolean {
  const L = loopInternals();
  if (S.busy || L.timers !== 0) return false;
  for (const _ of L.runq) return false;
  // A tasklet awaiting a remote operation waits outside the library; one awaiting anything
  // else is not idle. Which tasklet awaits what is not known cheaply: count.
  let remote = 0;
  for (const p of remoteWaits.keys()) if (p.by !== undefined) remote++;
  return L.outside <= remote;
}

function hostIdle(): boolean {
  const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  return typeof info !== 'function' || info.call(process).every((r) => QUIET.has(r));
}

/** How a report names a waiter parked here for another thread's operation (which that thread describes). */
const SERVED = 'a party of another thread';

/** This thread now; `asking`: it started the wave, and its own loop judges its host (as for any deadlock). */
function snapshot(asking: boolean): Snapshot {
  const parked: string[] = [];
  for (const { party, wait } of deadlockReport().parked) if (party.label !== SERVED) parked.push(`${party.label} ${wait.text}`);
  for (const [p, ch] of remoteWaits) {
    const who = p.by === undefined ? 'plain code' : p.by === null ? 'a tasklet or plain code' : String(p.by);
    parked.push(`${who} ${p.what === 'close' ? 'closes' : p.what === 'send' ? 'sends on' : 'receives on'} ${ch._where()}`);
  }
  const links = [...ports.values()].map((l): [string, number, number] => [l.link, l.sent, l.received]);
  return { thread: threadId, idle: loopIdle() && (asking || hostIdle()), links, parked };
}

// The asking side: a pending run() with nothing but parked parties and shared ends left.

let timer: ReturnType<typeof setInterval> | null = null;
let seq = 0;
let asking = false;
let last: Snapshot[] | null = null;
/**
 * The state of a deadlock the loop did not report when asked (a tasklet of this thread
 * awaits a remote operation, which the loop counts as waiting outside): not asked again
 * until something changes.
 */
let unreported: string | null = null;
/** The other threads' parked parties, while the loop reports. */
let lines: string[] = [];

function arm(): void {
  if (timer !== null) return;
  timer = setInterval(tick, 100);
  timer.unref();
}

function tick(): void {
  const L = loopInternals();
  if (asking || L.pendingRuns === 0 || sources === 0 || !loopIdle()) {
    if (!asking) last = null;
    return;
  }
  asking = true;
  const w = `${threadId}:${++seq}`;
  const giveUp = setTimeout(() => {
    waves.delete(w); // a thread busy computing does not answer: nothing is known
    asking = false;
    last = null;
  }, 2000);
  giveUp.unref();
  spread(w, null, (snaps) => {
    clearTimeout(giveUp);
    asking = false;
    const before = last;
    last = snaps;
    if (before !== null && stuck(before, snaps) && key(snaps) !== unreported) report(snaps);
  });
}

/** The threads and their message counts, in an order that does not depend on the wave's path. */
function key(s: Snapshot[]): string {
  return JSON.stringify(s.map((x) => [x.thread, x.links.sort()]).sort());
}

/** Every thread idle in both waves, the same counts in both, and on every link both ends agree: nothing in flight. */
function stuck(a: Snapshot[], b: Snapshot[]): boolean {
  if (a.length !== b.length || !b.every((s) => s.idle)) return false;
  if (key(a) !== key(b)) return false;
  const ends = new Map<string, [number, number][]>();
  for (const s of b) for (const [link, out, got] of s.links) ends.set(link, [...(ends.get(link) ?? []), [out, got]]);
  for (const e of ends.values()) if (e.length !== 2 || e[0][0] !== e[1][1] || e[0][1] !== e[1][0]) return false;
  return true;
}

function report(snaps: Snapshot[]): void {
  lines = [];
  for (const s of snaps.slice(1).sort((x, y) => x.thread - y.thread)) {
    if (s.parked.length === 0) continue;
    lines.push(`in thread ${s.thread}:`);
    for (const p of s.parked) lines.push(`  ${p}`);
  }
  last = null;
  const n = sources;
  // For one pulse, the shared ends are neither sources for the loop nor live handles for
  // the host's check (lib/node/host.ts: a referenced port is something that may wake a
  // party): the threads behind them have been asked, and cannot.
  const held = [...ports.keys()].filter((p) => (p as MessagePort & { hasRef(): boolean }).hasRef());
  for (const p of held) p.unref();
  for (let i = 0; i < n; i++) countSource(-1); // the loop reports at its next pulse
  setImmediate(() => {
    unreported = loopInternals().pendingRuns === 0 ? null : key(snaps);
    for (let i = 0; i < n; i++) countSource(1);
    for (const p of held) if (ports.has(p)) p.ref();
    lines = [];
  });
}
