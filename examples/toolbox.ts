/**
 * The toolbox in one program: words from an iterable, two sources merged, a parallel
 * pipeline that keeps their order, and a time limit on the whole.
 *
 *   npx tsx examples/toolbox.ts
 */
import { fromIterable, merge, pipeline, sleep, withTimeout } from '../lib/index';

/** Shouts every word of `left` and `right`, four at a time, within `limitMs`. */
export async function shout(left: readonly string[], right: readonly string[], limitMs = 1000): Promise<string[]> {
  const words = merge([fromIterable(left), fromIterable(right)]);
  const loud = pipeline(
    4,
    async (word: string) => {
      await sleep(word.length); // some slow work: longer words take longer
      return word.toUpperCase();
    },
    words,
  );
  return withTimeout(limitMs, async (signal) => {
    const out: string[] = [];
    for (;;) {
      const word = await loud.receive({ signal }).catch((e) => (loud.closed ? null : Promise.reject(e)));
      if (word === null) return out;
      out.push(word);
    }
  });
}

if (typeof process !== 'undefined' && /toolbox\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void shout(['one', 'three', 'five'], ['two', 'four']).then((w) => console.log(w.join(' ')));
}
