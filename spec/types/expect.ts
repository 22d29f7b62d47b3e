/** Helpers of the type-level tests: `expectType<Equal<A, B>>()` fails to compile unless A and B are the same type. */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

export function expectType<T extends true>(): T | undefined {
  return undefined;
}
