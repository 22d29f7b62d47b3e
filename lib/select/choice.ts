/**
 * Where the library's choices are made: every call site that chooses (select's pick among
 * ready cases) asks {@link decide}, which draws from the library's generator
 * (lib/select/random.ts) unless a decision source is plugged in — lib/inspect/decisions.ts
 * plugs one in to record or replay the choices. One check of a module variable when
 * nothing records.
 */

/** What dictates or watches the library's choices. */
export interface DecisionSource {
  /** Returns a choice in `[0, n)`; `random(n)` is what the library would have drawn. */
  choose(n: number, where: string, random: (n: number) => number): number;
}

let source: DecisionSource | null = null;

/**
 * @internal A choice among `n` options at `where`: from the decision source if one is
 * plugged in, else `random(n)`.
 */
export function decide(n: number, where: string, random: (n: number) => number): number {
  return source === null ? random(n) : source.choose(n, where, random);
}

/** @internal Plugs in a decision source (or `null`); returns the one before. */
export function setDecisionSource(s: DecisionSource | null): DecisionSource | null {
  const before = source;
  source = s;
  return before;
}
