/**
 * What every implementation of the benchmark workloads provides, and what each run
 * reports back so that it can be checked.
 *
 * An implementation is one module in `bench/impl/` exporting `workloads`: the three
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

export interface Workloads {
  hackysack(players: number, turns: number, seed: number): Promise<GameResult>;
  pingpong(roundTrips: number): Promise<PingPongResult>;
  pipeline(stages: number, messages: number): Promise<PipelineResult>;
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
