/**
 * The well-known symbols of explicit resource management (`using`, `await using`),
 * with the fallbacks Node itself uses where the runtime predates them.
 *
 * Node 18.18+/20.4+ define `Symbol.dispose` as `Symbol.for('nodejs.dispose')` (and
 * `asyncDispose` likewise) when the engine lacks them, so falling back to the same
 * registered symbols makes `using` work with TypeScript's downlevelled helpers on any
 * runtime. A polyfill that defines `Symbol.dispose` differently must be loaded before
 * `tasklets`, since the key is read once, when this module is evaluated.
 */

declare global {
  // Declared here too so the bundled .d.ts type-checks without `lib: esnext.disposable`
  // (the same declaration as TypeScript's lib and @types/node; identical ones merge).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

/** `Symbol.dispose`, or `Symbol.for('nodejs.dispose')` where the runtime lacks it. */
export const disposeSymbol: typeof Symbol.dispose = /* @__PURE__ */ wellKnown('dispose') as typeof Symbol.dispose;

/** `Symbol.asyncDispose`, or `Symbol.for('nodejs.asyncDispose')` where the runtime lacks it. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = /* @__PURE__ */ wellKnown('asyncDispose') as typeof Symbol.asyncDispose;

function wellKnown(name: 'dispose' | 'asyncDispose'): symbol {
  return (Symbol as unknown as Record<string, symbol | undefined>)[name] ?? Symbol.for(`nodejs.${name}`);
}
