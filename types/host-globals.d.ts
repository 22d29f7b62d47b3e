/**
 * The host globals the core (`tasklets`: all of lib/ but lib/node.ts, lib/index.node.ts,
 * lib/node/, lib/worker.ts and lib/worker/) may use by name: exactly these, as every
 * runtime it supports has them — browsers, Deno, Node ≥ 20, workers. Read only by
 * tsconfig.build.json, which type-checks the core with lib `ES2022` and no ambient types at
 * all (no DOM, no @types/node): any other host API is an error there, so a core file cannot
 * lean on one by accident. An API that only some hosts have (`setImmediate`,
 * `MessageChannel`, `process.nextTick`, `console`) is read through `globalThis` with a
 * local type and a feature test, where it is used (lib/host/host.ts, lib/base/clock.ts,
 * lib/inspect/watchdog.ts).
 *
 * Declared as narrowly as the core uses them, each a subset of both DOM's and
 * @types/node's declaration. Nothing here reaches the published types: a public type that
 * names `AbortSignal` names the consumer's own (DOM's, @types/node's or Deno's), as it
 * always has. Never include this file in a project that also has DOM or @types/node:
 * the `var`s would clash with theirs.
 */

/** A host timer's handle: a number in browsers and Deno, a `Timeout` object in Node. Opaque. */
interface HostTimerHandle {
  readonly __hostTimerHandle?: never;
}

declare function setTimeout(callback: () => void, ms?: number): HostTimerHandle;
declare function clearTimeout(handle: HostTimerHandle | undefined): void;

interface AbortEventListener {
  handleEvent(): void;
}

/** The part of `AbortSignal` (an `EventTarget`) the core uses. */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: any;
  addEventListener(type: 'abort', listener: (() => void) | AbortEventListener, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: (() => void) | AbortEventListener): void;
}

declare var AbortSignal: { prototype: AbortSignal };

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}

declare var AbortController: { prototype: AbortController; new (): AbortController };
