/**
 * Argument checks shared by the public functions. Every message names the function,
 * the argument or option, what was expected and what was received.
 *
 * @internal
 */

/** A short, safe rendering of any value for an error message (never calls user code). */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return String(value) + (typeof value === 'bigint' ? 'n' : '');
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function' + (value.name ? ` (${value.name})` : '');
    default: {
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      const proto = Object.getPrototypeOf(value);
      const ctor = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
      const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
      return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
    }
  }
}

/** `options` must be `undefined` or a plain object whose keys are all in `known`. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): Record<string, unknown> | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object, received ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    }
  }
  return options as Record<string, unknown>;
}

/** The `signal` option of a parking operation, checked. */
export function signalOf(where: string, options: unknown): AbortSignal | undefined {
  return checkSignal(where, checkOptions(where, options, ['signal'])?.signal);
}

/** A `signal` option's value: `undefined` or an `AbortSignal`. */
export function checkSignal(where: string, signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (
    signal === null ||
    typeof signal !== 'object' ||
    typeof (signal as AbortSignal).aborted !== 'boolean' ||
    typeof (signal as AbortSignal).addEventListener !== 'function'
  ) {
    throw new TypeError(`${where}: option "signal" must be an AbortSignal, received ${show(signal)}`);
  }
  return signal as AbortSignal;
}

/** A `capacity` option's value (its default already applied): a non-negative integer or `Infinity`. */
export function checkCapacity(where: string, capacity: unknown): number {
  if (typeof capacity !== 'number') throw new TypeError(`${where}: option "capacity" must be a number, received ${show(capacity)}`);
  if (!(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 0))) {
    throw new RangeError(`${where}: option "capacity" must be a non-negative integer or Infinity, received ${show(capacity)}`);
  }
  return capacity;
}

export function checkName(where: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw new TypeError(`${where}: option "name" must be a string, received ${show(name)}`);
  return name;
}
