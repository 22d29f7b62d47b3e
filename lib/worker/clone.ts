/**
 * What crosses to another thread, and what cannot: a value is copied by the structured
 * clone (`postMessage`), which refuses functions, symbols and the like — and copies an
 * instance of the program's own classes as a plain object, without its class, methods or
 * private fields, silently. A send of such an instance is refused here instead, as a value
 * that cannot be copied (errors excepted: `sendThrow` sends them as errors, by design).
 * Only the value itself is looked at, not what it holds: a class instance inside a plain
 * object arrives as a plain object, the structured clone's own rule.
 *
 * @internal
 */

/** How error messages name a value's type: its class, or `typeof`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === undefined || name === '' ? 'object' : name;
}

const native = /\{\s*\[native code\]\s*\}\s*$/;

/**
 * Throws, as `postMessage` would for a function, when `value` is an instance of a class
 * of the program's own: the copy would lose its class and private fields.
 */
export function checkCopy(value: unknown): void {
  if (value === null || typeof value !== 'object' || value instanceof Error) return;
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  if (proto === null || proto === Object.prototype || proto === Array.prototype) return;
  const ctor = proto.constructor;
  if (typeof ctor === 'function' && native.test(Function.prototype.toString.call(ctor))) return;
  throw new Error(`an instance of ${typeName(value)} would arrive as a plain object, without its class, methods and private fields`);
}
