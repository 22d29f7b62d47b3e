/**
 * Where a tasklet's code runs, as the host sees it: the host's async context (Node's
 * `AsyncLocalStorage`) of the code that created the tasklet.
 *
 * The loop starts a tasklet from whichever party happens to be in flight, so without
 * help a tasklet would start in that party's context, and keep it across every await
 * after. The core knows no host context; the Node entry (lib/node/context.ts) installs
 * a capture here, and each tasklet then takes a snapshot of its creator's context and
 * starts inside it. From there the host carries the context across the tasklet's
 * awaits by itself. Nothing is captured while no capture is installed.
 *
 * @internal
 */

/** A captured context: runs `fn(arg)` inside it (Node's `AsyncResource` is one), once. */
export interface ContextRunner {
  runInAsyncScope<A>(fn: (arg: A) => unknown, thisArg: null, arg: A): unknown;
}

/** Takes a snapshot of the current context; `null` while none is installed. */
export let captureContext: (() => ContextRunner) | null = null;

/** Installs (or, with `null`, removes) the capture; returns the previous one. */
export function setContextCapture(capture: (() => ContextRunner) | null): (() => ContextRunner) | null {
  const before = captureContext;
  captureContext = capture;
  return before;
}
