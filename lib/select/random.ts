/**
 * The library's one source of randomness (select's choice among ready cases), a small
 * seedable generator (mulberry32), so that a run can be reproduced exactly: seed it
 * with {@link setRandomSeed} before the run.
 */
import { show } from '../base/validate';

/** Generator state; seeded from `Math.random()` until `setRandomSeed` is called. */
let state = (Math.random() * 4294967296) >>> 0;

/**
 * Seeds the library's random choices (which ready case a `select` takes), so the same
 * program with the same seed makes the same choices. `seed` is an integer; only its
 * low 32 bits count.
 *
 * @example
 * ```ts
 * const one = new Channel<number>({ capacity: Infinity }), two = new Channel<number>({ capacity: Infinity });
 * const winners = () => Array.from({ length: 8 }, () => trySelect({ x: one.sendCase(1), y: two.sendCase(2) })!.key).join('');
 * setRandomSeed(42);
 * const first = winners();
 * setRandomSeed(42); // the same seed, and both cases ready again: the same keys win
 * console.log(winners() === first); // true
 * ```
 */
export function setRandomSeed(seed: number): void {
  if (typeof seed !== 'number') throw new TypeError(`setRandomSeed(): seed must be an integer, received ${show(seed)}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`setRandomSeed(): seed must be a safe integer, received ${show(seed)}`);
  state = seed >>> 0;
}

/** @internal A uniformly random integer in `[0, n)`, for `n >= 1`. */
export function randomBelow(n: number): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
}
