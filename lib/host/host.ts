/**
 * What the loop asks of its host: a macrotask (the pulse), and a callback once the
 * microtask queue has drained. Browser-safe: Node's functions are used where present.
 */

/** A macrotask: `setImmediate` in Node, a `MessageChannel` message in browsers, else `setTimeout(0)`. */
export const macrotask: (fn: () => void) => void = (() => {
  const g = globalThis as any;
  if (typeof g.setImmediate === 'function') return (fn) => g.setImmediate(fn);
  if (typeof g.MessageChannel === 'function') {
    const pending: (() => void)[] = [];
    const channel = new g.MessageChannel();
    channel.port1.onmessage = () => pending.shift()!();
    return (fn) => {
      pending.push(fn);
      channel.port2.postMessage(null);
    };
  }
  return (fn) => g.setTimeout(fn, 0);
})();

const nextTick: ((fn: () => void) => void) | undefined = (() => {
  const p = (globalThis as any).process;
  if (p !== undefined && p !== null && typeof p.nextTick === 'function') return (fn: () => void) => p.nextTick(fn);
  return undefined;
})();

/**
 * Runs `fn` once the microtask queue has drained: `process.nextTick` in Node, else a
 * macrotask. (A tick queued from a microtask runs right after the queue drains, before
 * any other host callback: Node runs ticks and microtasks to exhaustion after each one.)
 */
export const afterMicrotasks: (fn: () => void) => void = nextTick ?? macrotask;

/**
 * Whether the host can call back between the microtask queue draining and its next
 * callback (Node's tick queue). Where it cannot (browsers, Deno without `process`), the
 * pulse, a macrotask, is the first moment the loop sees the queue drained.
 */
export const seesDrain: boolean = nextTick !== undefined;

const RESOLVED = Promise.resolve();

/**
 * Runs `fn` in a microtask of its own. A reaction to a settled promise rather than
 * `queueMicrotask`, which in Node wraps every call in an `AsyncResource` (about 0.3 µs
 * more per call on Node 20, and once per tasklet start). `fn` must not throw.
 */
export function microtask(fn: () => void): void {
  void RESOLVED.then(fn);
}
