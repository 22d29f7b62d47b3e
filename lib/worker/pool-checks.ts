/**
 * Checks of lib/worker/pool.ts: its counting options, and whether a job can be copied to a
 * worker before it is taken from the caller's channel.
 */
import { show } from '../base/validate';

/** A counting option of `where`: an integer >= `min`, or `fallback` when absent. */
export function count(where: string, option: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new RangeError(`${where}: option "${option}" must be an integer >= ${min}, received ${show(value)}`);
  return value;
}

/**
 * Why `job` cannot be copied to a worker (a function, a symbol, an object holding one), or
 * `undefined` if it can. Plain objects, arrays and binary data are walked, not copied (a
 * 64 KB block is not cloned twice); anything else is tried with `structuredClone`.
 */
export function uncloneable(job: unknown, seen = new Set<object>()): TypeError | undefined {
  if (typeof job === 'function' || typeof job === 'symbol') return new TypeError(`a job of type ${typeof job} cannot be copied to a worker`);
  if (typeof job !== 'object' || job === null || seen.has(job)) return undefined;
  if (ArrayBuffer.isView(job) || job instanceof ArrayBuffer || job instanceof Date || job instanceof RegExp) return undefined;
  const proto: unknown = Object.getPrototypeOf(job);
  if (Array.isArray(job) || proto === Object.prototype || proto === null) {
    seen.add(job);
    for (const value of Object.values(job)) {
      const problem = uncloneable(value, seen);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  try {
    structuredClone(job);
    return undefined;
  } catch (e) {
    return new TypeError(`the job cannot be copied to a worker: ${e instanceof Error ? e.message : String(e)}`);
  }
}
