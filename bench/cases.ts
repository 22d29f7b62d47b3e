/**
 * The benchmark cases: each workload at each size, how to run it on an implementation,
 * and the check every run must pass before its time counts.
 */
import { SEED, type Workloads } from './common';

export type WorkloadName = 'hackysack' | 'pingpong' | 'pipeline';

export interface Case {
  /** Stable id, used on the command line and between the runner and its children. */
  id: string;
  workload: WorkloadName;
  /** How the report names it. */
  label: string;
  /** Players in the circle, for the time-against-players chart (hackysack at 1,000 turns only). */
  players?: number;
  /** Hand-offs in one run, where the report gives ns per hand-off instead of ms. */
  hops?: number;
  /** Runs the workload and throws if its result is wrong. */
  run(impl: Workloads): Promise<void>;
}

function fail(what: string, expected: unknown, got: unknown): never {
  throw new Error(`wrong result: ${what} should be ${String(expected)}, was ${String(got)}`);
}

function hackysack(players: number, turns: number): Case {
  const atThousand = turns === 1000;
  return {
    id: atThousand ? `hackysack-${players}` : `hackysack-${players}x${turns}`,
    workload: 'hackysack',
    label: `hackysack ${players.toLocaleString('en-US')} × ${turns.toLocaleString('en-US')}`,
    players: atThousand ? players : undefined,
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
    label: `ping-pong ${roundTrips.toLocaleString('en-US')} round trips (ns/hop)`,
    hops: 2 * roundTrips,
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
    label: `pipeline ${stages.toLocaleString('en-US')} stages × ${messages.toLocaleString('en-US')} msgs`,
    async run(impl) {
      const r = await impl.pipeline(stages, messages);
      if (r.received !== messages) fail('messages at the sink', messages, r.received);
      if (!r.inOrder) fail('messages in order', true, false);
    },
  };
}

/** The full suite, in the order the report lists it. */
export const CASES: readonly Case[] = [
  ...[10, 100, 1_000, 10_000, 100_000, 1_000_000].map((players) => hackysack(players, 1000)),
  hackysack(1000, 1_000_000),
  pingpong(1_000_000),
  pipeline(1000, 1000),
];

/** The `--quick` subset: one small size of each workload. */
export const QUICK_CASES: readonly Case[] = [hackysack(10_000, 1000), pingpong(100_000), pipeline(100, 1000)];

/**
 * The case an id names, at any size: `hackysack-PLAYERS`, `hackysack-PLAYERSxTURNS`,
 * `pingpong-ROUNDTRIPS`, `pipeline-STAGESxMESSAGES`.
 */
export function parseCase(id: string): Case | undefined {
  const m = /^(hackysack|pingpong|pipeline)-([1-9]\d*)(?:x([1-9]\d*))?$/.exec(id);
  if (m === null) return undefined;
  const a = Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  if (m[1] === 'hackysack') return hackysack(a, b ?? 1000);
  if (m[1] === 'pingpong') return b === undefined ? pingpong(a) : undefined;
  return b === undefined ? undefined : pipeline(a, b);
}
