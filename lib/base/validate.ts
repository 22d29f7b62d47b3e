/**
 * Argument checks shared by the public functions. Every message names the function,
 * the argument or option, what was expected and what was received.
 *
 * Two rules hold for everything here:
 *  - Building a message never runs user code. `show()` looks at a value with `typeof`
 *    and, for an object or a function, reads only data descriptors, inside `try`:
 *    no getter runs, and a Proxy trap that throws (even one that does not) cannot
 *    turn a `TypeError` about a bad argument into the trap's error.
 *  - Options objects are read by their own enumerable properties only, each once:
 *    inherited ones (a polluted `Object.prototype.capacity`) are ignored.
 *
 * @internal
 */

/** A short, safe rendering of any value for an error message (never calls user code). */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return String(value) + 'n';
    case 'symbol':
      return 'a symbol';
    case 'function': {
      const name = dataString(value, 'name');
      return 'a function' + (name ? ` (${name})` : '');
    }
    default:
      return value === null ? 'null' : showObject(value as object);
  }
}

/** `show()` of an object: its class when a data property says so, else "an object". */
function showObject(value: object): string {
  try {
    // Proxies reach their traps here (even `Array.isArray` throws for a revoked one);
    // whatever a trap does, the message falls back to "an object".
    if (Array.isArray(value)) return 'an array';
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || typeof proto !== 'object') return 'an object';
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    const name = ctor !== undefined && typeof ctor.value === 'function' ? dataString(ctor.value, 'name') : '';
    return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  } catch {
    return 'an object';
  }
}

/** Own data property `key` of `target` when it is a string, else `''`; runs no getter. */
function dataString(target: object, key: string): string {
  try {
    const d = Object.getOwnPropertyDescriptor(target, key);
    return d !== undefined && typeof d.value === 'string' ? d.value : '';
  } catch {
    return '';
  }
}

/**
 * `options` must be `undefined` or an object whose own enumerable keys are all in
 * `known`. Returns a record of those own properties, each read once (no prototype, so
 * nothing inherited shows through), or `undefined`.
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, received ${show(options)}`);
  }
  const own: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
    own[key] = (options as Record<string, unknown>)[key];
  }
  return own;
}

/**
 * The `signal` option of a parking operation, checked: `checkOptions(where, options,
 * ['signal'])` without the record, since `receive({ signal })` is a hot path.
 */
export function signalOf(where: string, options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, received ${show(options)}`);
  }
  const keys = Object.keys(options);
  if (keys.length === 0) return undefined;
  if (keys.length !== 1 || keys[0] !== 'signal') {
    const unknown = keys.find((k) => k !== 'signal')!;
    throw new TypeError(`${where}: unknown option ${JSON.stringify(unknown)} (known: signal)`);
  }
  return checkSignal(where, (options as { signal?: unknown }).signal);
}

/**
 * A `signal` option's value: `undefined` or an `AbortSignal` — anything with a boolean
 * `aborted` and both `addEventListener` and `removeEventListener`, checked whole here,
 * before the operation changes anything, so that nothing fails half-way.
 */
export function checkSignal(where: string, signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (
    signal === null ||
    typeof signal !== 'object' ||
    typeof (signal as AbortSignal).aborted !== 'boolean' ||
    typeof (signal as AbortSignal).addEventListener !== 'function' ||
    typeof (signal as AbortSignal).removeEventListener !== 'function'
  ) {
    throw new TypeError(`${where}: option "signal" must be an AbortSignal, received ${show(signal)}`);
  }
  return signal as AbortSignal;
}

/**
 * A `capacity` option's value (its default already applied): a non-negative integer or
 * `Infinity`. `-0` comes back as `0`.
 */
export function checkCapacity(where: string, capacity: unknown): number {
  if (typeof capacity !== 'number') throw new TypeError(`${where}: option "capacity" must be a number, received ${show(capacity)}`);
  if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 0))) {
    throw new RangeError(`${where}: option "capacity" must be a non-negative integer or Infinity, received ${show(capacity)}`);
  }
  return capacity + 0; // -0 + 0 is +0
}

export function checkName(where: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw new TypeError(`${where}: option "name" must be a string, received ${show(name)}`);
  return name;
}
