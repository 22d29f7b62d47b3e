/**
 * A small, fast, seedable generator (mulberry32): the hackysack game's kicks, so that a
 * seed replays a game exactly. Standalone, so the benchmarks can share it without
 * loading the library.
 *
 * @example
 * ```ts
 * const rand = random(42);
 * rand(); // a number in [0, 1), the same for the same seed
 * ```
 */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
