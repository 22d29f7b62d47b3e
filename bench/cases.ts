/**
 * The benchmark cases: each workload at each size, how to run it on an implementation,
 * and the check every run must pass before its figure counts.
 */
import { SEED, type Workloads } from './common';

export type WorkloadName = 'hackysack' | 'pingpong' | 'pipeline' | 'parked';

/**
 * Which of issue 15's time targets a case falls under, besides "ahead of every peer":
 * `'hand-offs'` (at least 100 hand-offs per party, so starting and ending parties is
 * noise: ≤ 1.5× the same-shape floor), `'creation'` (the 10,000-player game, mostly
 * starting and ending 10,001 parties: ≤ 2×).
 */
export type TimeTarget = 'hand-offs' | 'creation';

/** What a case measures besides its time: bytes per parked party, for the parked cases. */
export interface Measured {
  /** Replaces the child's own clock: the time the case itself says counts. */
  ms: number;
  bytesPerParty: number;
}

export interface Case {
  /** Stable id, used on the command line and between the runner and its children. */
  id: string;
  workload: WorkloadName;
  /** `'time'`: the report's time tables; `'bytes'`: its bytes-per-parked-party table. */
  measure: 'time' | 'bytes';
  /** How the report names it. */
  label: string;
  /** Players in the circle, for the time-against-players chart (hackysack at 1,000 turns only). */
  players?: number;
  /** Hand-offs in one run, where the report gives ns per hand-off instead of ms. */
  hops?: number;
  /** Parked parties, for the parked cases. */
  parties?: number;
  /** The issue 15 time target the case falls under, if any (see `TimeTarget`). */
  target?: TimeTarget;
  /** Node flags the child needs for this case (after the runner's own). */
  nodeFlags?: readonly string[];
  /** Runs the workload and throws if its result is wrong. */
  run(impl: Workloads): Promise<Measured | void>;
}

function fail(what: string, expected: unknown, got: unknown): never {
  throw new Error(`wrong result: ${what} should be ${String(expected)}, was ${String(got)}`);
}

function hackysack(players: number, turns: number): Case {
  const atThousand = turns === 1000;
  const handOffs = turns / (players + 1) >= 100;
  return {
    id: atThousand ? `hackysack-${players}` : `hackysack-${players}x${turns}`,
    workload: 'hackysack',
    measure: 'time',
    label: `hackysack ${players.toLocaleString('en-US')} × ${turns.toLocaleString('en-US')}`,
    players: atThousand ? players : undefined,
    target: handOffs ? 'hand-offs' : players === 10_000 && atThousand ? 'creation' : undefined,
    async run(impl) {
      const r = await impl.hackysack(players, turns, SEED);
      if (r.kicks !== turns) fail('kicks', turns, r.kicks);
      if (r.finished !== players + 1) fail('parties finished', players + 1, r.finished);
    },
  };
}

function pingpong(roundTrips: number): Case {
  return {
    id: `pingpong-${roundTrips}`,
    workload: 'pingpong',
    measure: 'time',
    label: `ping-pong ${roundTrips.toLocaleString('en-US')} round trips (ns/hop)`,
    hops: 2 * roundTrips,
    target: 'hand-offs',
    async run(impl) {
      const r = await impl.pingpong(roundTrips);
      if (r.roundTrips !== roundTrips) fail('round trips', roundTrips, r.roundTrips);
      if (!r.matched) fail('every reply matching its request', true, false);
    },
  };
}

function pipeline(stages: number, messages: number): Case {
  return {
    id: `pipeline-${stages}x${messages}`,
    workload: 'pipeline',
    measure: 'time',
    label: `pipeline ${stages.toLocaleString('en-US')} stages × ${messages.toLocaleString('en-US')} msgs`,
    target: 'hand-offs',
    async run(impl) {
      const r = await impl.pipeline(stages, messages);
      if (r.received !== messages) fail('messages at the sink', messages, r.received);
      if (!r.inOrder) fail('messages in order', true, false);
    },
  };
}

/** `global.gc`, which `--expose-gc` gives the child. */
function collector(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the parked case needs node --expose-gc');
  return gc;
}

/** The heap in use after full collections (a few, so that what one frees the next can collect too). */
function heapAfterGc(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Parties parked and released once before the heap is measured, so that first-use costs (compiled code, lazily made state) fall outside the difference. */
const WARM_UP_PARTIES = 1000;

/**
 * Bytes per parked party: `parties` channels and parties, each parked on a receive of
 * its own channel, measured as the growth of the heap in use (after full collections)
 * from before they were made to when they are all parked, divided by `parties`. The
 * channels are held, in an array, throughout. Before that figure counts: every party
 * started its receive and none completed; the library agrees they are parked where it
 * can tell; once released, every party receives its own index from its own channel.
 * The time reported is that of making them and waiting until they are parked.
 */
function parked(parties: number): Case {
  return {
    id: `parked-${parties}`,
    workload: 'parked',
    measure: 'bytes',
    label: `${parties.toLocaleString('en-US')} parked parties`,
    parties,
    nodeFlags: ['--expose-gc'],
    async run(impl) {
      const gc = collector();
      const warm = await impl.park(Math.min(WARM_UP_PARTIES, parties));
      await warm.release();

      const before = heapAfterGc(gc);
      const start = performance.now();
      const held = await impl.park(parties);
      const ms = performance.now() - start;
      const after = heapAfterGc(gc);

      if (held.started !== parties) fail('receives started', parties, held.started);
      if (held.received !== 0) fail('receives completed while parked', 0, held.received);
      const problem = held.confirm?.();
      if (problem !== undefined) fail("the library's own count of parked parties", 'all of them', problem);
      const released = await held.release();
      if (released !== parties) fail('parties that received their own index once released', parties, released);
      return { ms, bytesPerParty: (after - before) / parties };
    },
  };
}

/** The full suite, in the order the report lists it. */
export const CASES: readonly Case[] = [
  ...[10, 100, 1_000, 10_000, 100_000, 1_000_000].map((players) => hackysack(players, 1000)),
  hackysack(1000, 1_000_000),
  pingpong(1_000_000),
  pipeline(1000, 1000),
  parked(100_000),
];

/** The `--quick` subset: one small size of each workload. */
export const QUICK_CASES: readonly Case[] = [hackysack(10_000, 1000), pingpong(100_000), pipeline(100, 1000), parked(20_000)];

/**
 * The case an id names, at any size: `hackysack-PLAYERS`, `hackysack-PLAYERSxTURNS`,
 * `pingpong-ROUNDTRIPS`, `pipeline-STAGESxMESSAGES`, `parked-PARTIES`.
 */
export function parseCase(id: string): Case | undefined {
  const m = /^(hackysack|pingpong|pipeline|parked)-([1-9]\d*)(?:x([1-9]\d*))?$/.exec(id);
  if (m === null) return undefined;
  const a = Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  if (m[1] === 'hackysack') return hackysack(a, b ?? 1000);
  if (m[1] === 'pingpong') return b === undefined ? pingpong(a) : undefined;
  if (m[1] === 'parked') return b === undefined ? parked(a) : undefined;
  return b === undefined ? undefined : pipeline(a, b);
}
