/**
 * Milliseconds from a monotonic clock where the host has one (`performance.now()`),
 * else from `Date.now()`. Read through `globalThis`: the core is built without DOM or
 * Node types. @internal
 */
const perf = (globalThis as { performance?: { now(): number } }).performance;

export const now: () => number = perf !== undefined && typeof perf.now === 'function' ? () => perf.now() : () => Date.now();
