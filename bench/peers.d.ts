/** Just enough types for the two peers that ship none (medium, js-csp), as the workloads use them. */
declare module 'medium' {
  export interface Chan<T> {
    readonly __value?: T;
  }
  export function chan<T>(): Chan<T>;
  /** Resolves `true` once a taker has the value (rendezvous on an unbuffered channel). */
  export function put<T>(ch: Chan<T>, value: T): Promise<boolean>;
  export function take<T>(ch: Chan<T>): Promise<T>;
}

declare module 'js-csp' {
  export interface Chan<T> {
    readonly __value?: T;
  }
  /** An instruction for the process that yields it; what `yield` gives back is untyped. */
  export type Instruction = { readonly __instruction: true };
  interface Csp {
    chan<T>(): Chan<T>;
    go<A extends unknown[]>(body: (...args: A) => Generator<Instruction, void, unknown>, args?: A): Chan<unknown>;
    put<T>(ch: Chan<T>, value: T): Instruction;
    take<T>(ch: Chan<T>): Instruction;
    putAsync<T>(ch: Chan<T>, value: T, done?: () => void): void;
  }
  const csp: Csp;
  export default csp;
}
