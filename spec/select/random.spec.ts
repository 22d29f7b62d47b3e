/**
 * The library's one source of randomness (lib/select/random.ts): `randomBelow(n)` is an
 * integer in `[0, n)`, spread evenly; `setRandomSeed(seed)` makes the sequence that
 * follows reproducible, with only the seed's low 32 bits counting; a seed that is not
 * a safe integer is refused with an error naming it and the value received. (How
 * select uses it — which ready case wins — is spec/select/select.spec.ts's.)
 */
import { randomBelow, setRandomSeed } from '../../lib/select/random';
import { setRandomSeed as exported } from '../../lib/index';

/** The next `count` draws of `randomBelow(n)`. */
const draws = (n: number, count: number): number[] => Array.from({ length: count }, () => randomBelow(n));

test('setRandomSeed is the one the package exports', () => {
  expect(exported).toBe(setRandomSeed);
});

test('the same seed gives the same sequence, whatever came before', () => {
  setRandomSeed(42);
  const first = draws(1000, 50);
  draws(7, 13); // move the generator on
  setRandomSeed(42);
  expect(draws(1000, 50)).toEqual(first);
});

test('different seeds give different sequences', () => {
  const bySeed = [0, 1, 2, 42, 2 ** 31].map((seed) => {
    setRandomSeed(seed);
    return draws(1_000_000, 8).join(',');
  });
  expect(new Set(bySeed).size).toBe(bySeed.length);
});

test('only the low 32 bits of the seed count', () => {
  const after = (seed: number): number[] => {
    setRandomSeed(seed);
    return draws(1_000_000, 10);
  };
  expect(after(5 + 2 ** 32)).toEqual(after(5));
  expect(after(-1)).toEqual(after(2 ** 32 - 1));
  expect(after(Number.MAX_SAFE_INTEGER)).toEqual(after(2 ** 32 - 1)); // 2^53 - 1: its low 32 bits are all ones
});

test.each([1, 2, 3, 7, 10, 1000, 2 ** 32])('randomBelow(%p) is an integer in [0, n), and for a small n every one of them comes up', (n) => {
  setRandomSeed(7);
  const values = draws(n, 2000);
  expect(values.filter((v) => !(Number.isInteger(v) && v >= 0 && v < n))).toEqual([]);
  if (n <= 10) expect(new Set(values).size).toBe(n);
});

test('randomBelow(1) is always 0', () => {
  setRandomSeed(123);
  expect(new Set(draws(1, 500))).toEqual(new Set([0]));
});

test('draws are spread evenly: each of six outcomes within 10% of its share over 60,000 draws', () => {
  setRandomSeed(2026);
  const counts = new Array(6).fill(0);
  for (const v of draws(6, 60_000)) counts[v]++;
  for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(1_000);
});

test('consecutive draws are not correlated: after each outcome of a coin, the next is heads about half the time', () => {
  setRandomSeed(99);
  const flips = draws(2, 40_001);
  const next = [
    [0, 0],
    [0, 0],
  ];
  for (let i = 0; i < 40_000; i++) next[flips[i]][flips[i + 1]]++;
  for (const [tails, heads] of next) expect(Math.abs(heads / (tails + heads) - 0.5)).toBeLessThan(0.03);
});

describe('setRandomSeed refuses what is not a safe integer', () => {
  test.each([
    ['1', '"1"'],
    [1n, '1n'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, 'an object'],
  ])('%p: TypeError naming seed and the value', (seed, shown) => {
    expect(() => setRandomSeed(seed as never)).toThrow(TypeError);
    expect(() => setRandomSeed(seed as never)).toThrow(`setRandomSeed(): seed must be an integer, received ${shown}`);
  });

  test.each([
    [1.5, '1.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [2 ** 53, '9007199254740992'],
  ])('%p: RangeError naming seed and the value', (seed, shown) => {
    expect(() => setRandomSeed(seed)).toThrow(RangeError);
    expect(() => setRandomSeed(seed)).toThrow(`setRandomSeed(): seed must be a safe integer, received ${shown}`);
  });

  test('a refused seed leaves the generator where it was', () => {
    setRandomSeed(8);
    const expected = draws(100, 20);
    setRandomSeed(8);
    expect(() => setRandomSeed(0.5)).toThrow(RangeError);
    expect(draws(100, 20)).toEqual(expected);
  });
});
