/**
 * What every implementation of the benchmark workloads provides, and what each run
 * reports back so that it can be checked.
 *
 * An implementation is one module in `bench/impl/` exporting `workloads`: the four
 * workloads written directly against that library's own API, in its own idiom, so that
 * no adapter adds a tick the library itself would not cost.
 */

/** Hackysack: `players + 1` parties in a circle, `turns` kicks, then everyone exits. */
export interface GameResult {
  kicks: number;
  /** Parties that ran to their end; `players + 1` when the game ended properly. */
  finished: number;
}

/** Ping-pong: round trips completed, and whether every reply matched its request. */
export interface PingPongResult {
  roundTrips: number;
  matched: boolean;
}

/** Pipeline: messages that reached the sink, and whether they arrived in order. */
export interface PipelineResult {
  received: number;
  inOrder: boolean;
}

/**
 * Parked: `parties` parties (the library's own kind: a tasklet, an async function, a
 * process), each parked on a receive of its own channel, all held until `release()`.
 * The object holds every channel, so everything the parties are made of stays
 * reachable while the heap is measured.
 */
export interface ParkedParties {
  /** Receives started, counted by the parties themselves: all of them once every party is parked. */
  readonly started: number;
  /** Receives completed: none while every party is parked. */
  readonly received: number;
  /**
   * The library's own word that every party is parked, where it can tell: `undefined`
   * when it agrees, else what is wrong. Implementations that cannot tell leave it out;
   * `release()` checks them all.
   */
  confirm?(): string | undefined;
  /**
   * Sends each party its own index on its own channel and resolves, once every party has
   * ended, with how many received exactly that: all of them when each was parked on
   * its own channel.
   */
  release(): Promise<number>;
}

export interface Workloads {
  hackysack(players: number, turns: number, seed: number): Promise<GameResult>;
  pingpong(roundTrips: number): Promise<PingPongResult>;
  pipeline(stages: number, messages: number): Promise<PipelineResult>;
  /** Creates `parties` channels and parties, and resolves once every party is parked on a receive of its own channel. */
  park(parties: number): Promise<ParkedParties>;
}

/** The sack value that tells a player to leave; kicks carry the kicker's index (>= 0). */
export const EXIT = -1;

/** Every game uses the same seed, so every implementation plays the same kicks. */
export const SEED = 42;

/** A small, fast, seedable generator (mulberry32): the game's own, so every implementation plays the same kicks. */
export { random } from '../examples/random';

/** A player other than `me`, uniformly at random among `n`. */
export function pickOther(rand: () => number, n: number, me: number): number {
  let to = (rand() * n) | 0;
  while (to === me) to = (rand() * n) | 0;
  return to;
}

/**
 * Counts parties to their end and resolves once `expected` have finished: the one way
 * every implementation without its own `run()` waits for a game to end, so that none
 * pays for a million-entry `Promise.all`.
 */
export class Finish {
  count = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(private readonly expected: number) {
    this.done = new Promise((r) => (this.resolve = r));
  }

  one(): void {
    if (++this.count === this.expected) this.resolve();
  }
}

/** One turn of the host's event loop: every microtask queued before it has run. */
const hostTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits at least `min` host turns (macrotasks), then until `ready()` holds; throws,
 * naming `what`, if it still does not after `max` turns. The parked workload waits
 * with it for its parties to reach their receives, and for them to end once released.
 */
export async function turnsUntil(ready: () => boolean, what: string, min = 3, max = 10_000): Promise<void> {
  for (let turn = 1; turn <= max; turn++) {
    await hostTurn();
    if (turn >= min && ready()) return;
  }
  throw new Error(`${what}: not so after ${max} host turns`);
}
