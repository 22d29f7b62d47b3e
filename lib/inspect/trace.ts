/**
 * A trace of a run, in the Chrome Trace Event format, which Perfetto
 * (https://ui.perfetto.dev) and `chrome://tracing` open as they are:
 *
 *  - one track (a "thread") per tasklet, and one for plain code;
 *  - a span per slice — from the moment the loop resumes a party until its slice ends
 *    (it parks, yields, finishes, or the loop moves on) — named by what resumed it
 *    (`start`, `received`, `sent`, `schedule`, `joined`…), with what ended it in `args`;
 *  - a flow arrow per hand-off, from the slice whose operation completed a parked
 *    partner to the partner's next slice, named after the channel.
 *
 * It also keeps who talked to whom: `toDot()` is a Graphviz graph of parties and the
 * channels they sent and received on, with counts.
 *
 * Recording is an observer (lib/inspect/bus.ts): nothing is recorded, and nothing costs,
 * unless a trace is started.
 */
import { now } from '../base/clock';
import type { Channel } from '../channel/channel';
import { observe } from './bus';
import { callerTasklet } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import { checkOptions, show } from '../base/validate';
import { Op, type Waiter } from '../core/waiter';

/** One Chrome trace event (the fields this library writes). */
export interface TraceEvent {
  /** What happened: a slice's label, `'hand-off'`, or a metadata name (`'thread_name'`, …). */
  name: string;
  /** The phase: `'X'` a complete slice, `'s'`/`'f'` the start and end of a hand-off flow, `'M'` metadata, `'i'` an instant. */
  ph: 'X' | 's' | 'f' | 'M' | 'i';
  /** When, in microseconds since the trace started. */
  ts: number;
  /** The process: always `1`. */
  pid: number;
  /** The thread: one per party (a tasklet, or plain code). */
  tid: number;
  /** For a slice: how long it ran, in microseconds. */
  dur?: number;
  /** The category: `'slice'`, `'handoff'`, … */
  cat?: string;
  /** For a flow: the id that pairs its start and end. */
  id?: number;
  /** For a flow's end: `'e'`, bind to the enclosing slice. */
  bp?: 'e';
  /** For an instant: `'t'`, scoped to its thread. */
  s?: 't';
  /** Details: the channel's name, the tasklet's label, … */
  args?: Record<string, unknown>;
}

/** The JSON a trace file holds. */
export interface ChromeTrace {
  /** The events, in the order they were recorded. */
  traceEvents: TraceEvent[];
  /** Tells the viewer to show milliseconds. */
  displayTimeUnit: 'ms';
  /** About the trace itself. */
  otherData: {
    /** `'tasklets'`: who wrote it. */
    library: 'tasklets';
    /** Events left out past `TraceOptions.limit`. */
    dropped: number;
  };
}

/** Options of {@link startTrace}. */
export interface TraceOptions {
  /** Most events kept (default 1,000,000); later ones are counted in `otherData.dropped`. */
  limit?: number;
}

const RESUMED_BY: Record<number, string> = {
  [Op.Start]: 'start',
  [Op.Schedule]: 'schedule',
  [Op.Yield]: 'handed off',
  [Op.Send]: 'sent',
  [Op.Receive]: 'received',
  [Op.Iterate]: 'received',
  [Op.Join]: 'joined',
  [Op.Run]: 'run() settled',
};

function validateLimit(options: unknown): number {
  const o = checkOptions('startTrace()', options, ['limit']);
  const limit = o?.limit ?? 1_000_000;
  if (typeof limit !== 'number' || !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`startTrace(): option "limit" must be a non-negative integer, received ${show(limit)}`);
  }
  return limit;
}

/**
 * A recording in progress (or stopped). Start one with {@link startTrace}.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const trace = startTrace();
 * await run();
 * trace.stop();
 * writeFileSync('run.trace.json', JSON.stringify(trace.toJSON())); // open in ui.perfetto.dev
 * writeFileSync('talk.dot', trace.toDot());                         // dot -Tsvg talk.dot
 * ```
 */
export class Trace {
  private readonly events: TraceEvent[] = [];
  private readonly limit: number;
  private dropped = 0;
  private readonly t0 = now();
  private unobserve: (() => void) | null;
  /** The slice in flight: its track, start and name, and what ended it. */
  private slice: { tid: number; ts: number; name: string; args: Record<string, unknown> } | null = null;
  private readonly named = new Set<number>();
  /** Parked waiters a hand-off completed: the flow arrow that ends at their next slice. */
  private readonly flows = new Map<Waiter, number>();
  private flowId = 0;
  /** Who sent and received on which channel, and how often. */
  private readonly talk = new Map<Channel<any>, { id: number; sends: Map<number, number>; receives: Map<number, number> }>();
  private readonly labels = new Map<number, string>([[0, 'plain code']]);

  /** @internal Use {@link startTrace}. */
  constructor(options?: TraceOptions) {
    this.limit = validateLimit(options);
    this.push({ name: 'process_name', ph: 'M', ts: 0, pid: 1, tid: 0, args: { name: 'tasklets' } });
    this.unobserve = observe({
      resume: (w, t) => this.resume(w, t),
      channel: (ch, sending, mayBlock) => this.channel(ch, sending, mayBlock),
      idle: () => this.close(),
      end: (t) => {
        if (this.slice !== null && this.slice.tid === t.id) this.slice.args.finished = true;
      },
    });
  }

  /** Whether it is still recording. */
  get recording(): boolean {
    return this.unobserve !== null;
  }

  /** Stops recording (the slice in flight ends now); idempotent. */
  stop(): this {
    if (this.unobserve === null) return this;
    this.close();
    this.unobserve();
    this.unobserve = null;
    return this;
  }

  /** The trace as Chrome Trace Event JSON (an object; `JSON.stringify` it into a file). */
  toJSON(): ChromeTrace {
    return { traceEvents: this.events.slice(), displayTimeUnit: 'ms', otherData: { library: 'tasklets', dropped: this.dropped } };
  }

  /**
   * Who talks to whom: a Graphviz `digraph` with a box per party (tasklets, plain code)
   * and an ellipse per channel; `party -> channel` edges count sends, `channel -> party`
   * edges count receives.
   */
  toDot(): string {
    const q = (s: string): string => JSON.stringify(s);
    const lines = ['digraph tasklets {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
    const parties = new Set<number>();
    for (const { sends, receives } of this.talk.values()) for (const tid of [...sends.keys(), ...receives.keys()]) parties.add(tid);
    for (const tid of [...parties].sort((a, b) => a - b)) lines.push(`  p${tid} [label=${q(this.labels.get(tid) ?? `#${tid}`)}];`);
    for (const [ch, { id, sends, receives }] of this.talk) {
      lines.push(`  c${id} [shape=ellipse, label=${q(ch.name)}];`);
      for (const [tid, n] of sends) lines.push(`  p${tid} -> c${id} [label=${q(`${n} send${n === 1 ? '' : 's'}`)}];`);
      for (const [tid, n] of receives) lines.push(`  c${id} -> p${tid} [label=${q(`${n} receive${n === 1 ? '' : 's'}`)}];`);
    }
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  private ts(): number {
    return Math.round((now() - this.t0) * 1000) / 1000; // microseconds, to the nanosecond
  }

  private push(e: TraceEvent): void {
    if (this.events.length < this.limit) this.events.push(e);
    else this.dropped++;
  }

  private track(t: Tasklet | undefined): number {
    const tid = t === undefined ? 0 : t.id;
    if (!this.named.has(tid)) {
      this.named.add(tid);
      const label = t === undefined ? 'plain code' : String(t);
      this.labels.set(tid, label);
      this.push({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid, args: { name: label } });
      this.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid: 1, tid, args: { sort_index: tid } });
    }
    return tid;
  }

  private close(): void {
    const s = this.slice;
    if (s === null) return;
    this.slice = null;
    this.push({ name: s.name, cat: 'slice', ph: 'X', ts: s.ts, dur: Math.max(this.ts() - s.ts, 0), pid: 1, tid: s.tid, args: s.args });
  }

  private resume(w: Waiter, t: Tasklet | undefined): void {
    this.close();
    const tid = this.track(t);
    const ts = this.ts();
    this.slice = { tid, ts, name: RESUMED_BY[w._op] ?? 'resumed', args: {} };
    const flow = this.flows.get(w);
    if (flow !== undefined) {
      this.flows.delete(w);
      this.push({ name: 'hand-off', cat: 'handoff', ph: 'f', bp: 'e', id: flow, ts, pid: 1, tid });
    }
  }

  private channel(ch: Channel<any>, sending: boolean, mayBlock: boolean): void {
    const t = callerTasklet();
    const tid = this.track(t);
    let c = this.talk.get(ch);
    if (c === undefined) this.talk.set(ch, (c = { id: this.talk.size + 1, sends: new Map(), receives: new Map() }));
    const counts = sending ? c.sends : c.receives;
    counts.set(tid, (counts.get(tid) ?? 0) + 1);
    if (mayBlock && ch._wouldPark(sending)) {
      if (this.slice !== null) this.slice.args.parked = String(ch); // the slice ends here
      return;
    }
    const partner = ch._partner(sending);
    if (partner === null || this.slice === null) return;
    const id = ++this.flowId;
    this.flows.set(partner, id);
    this.push({ name: 'hand-off', cat: 'handoff', ph: 's', id, ts: this.ts(), pid: 1, tid: this.slice.tid, args: { channel: ch.name } });
  }
}

/**
 * Starts recording a trace of everything the loop and the channels do, until
 * `trace.stop()`.
 *
 * @example
 * ```ts
 * const trace = startTrace();
 * await runit(10, 20);
 * console.log(JSON.stringify(trace.stop().toJSON()).length);
 * ```
 */
export function startTrace(options?: TraceOptions): Trace {
  return new Trace(options);
}
