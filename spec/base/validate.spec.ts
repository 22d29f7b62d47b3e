/**
 * The shared argument checks (lib/base/validate.ts), called directly: every message names
 * the function, the argument or option, what was expected and what was received
 * (through `show()`); `show()` runs no user code; options objects are read by their own
 * enumerable properties only, each once. (That the public functions use these checks
 * is spec/base/errors.spec.ts's; hostile Proxies are
 * spec/regression/regression-proxy-argument-throws-trap-error.spec.ts's.)
 */
import { checkCapacity, checkName, checkOptions, checkSignal, show, signalOf } from '../../lib/base/validate';

describe('show()', () => {
  class Named {}
  test.each<[string, unknown, string]>([
    ['a string, quoted', 'ping', '"ping"'],
    ['a string with quotes and a newline, escaped', 'a"b\nc', '"a\\"b\\nc"'],
    ['a string of 40 characters, whole', 'x'.repeat(40), `"${'x'.repeat(40)}"`],
    ['a longer string, cut at 40 with an ellipsis', 'y'.repeat(41), `"${'y'.repeat(40)}…"`],
    ['a number', 1.5, '1.5'],
    ['-0, with its sign', -0, '-0'],
    ['NaN', NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a boolean', false, 'false'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a bigint, with its n', 12n, '12n'],
    ['a symbol, without its description', Symbol('secret'), 'a symbol'],
    ['a named function', function handler() {}, 'a function (handler)'],
    ['an anonymous function', (() => () => {})(), 'a function'],
    ['a class', Named, 'a function (Named)'],
    ['an array', [1, 2], 'an array'],
    ['a plain object', { a: 1 }, 'an object'],
    ['an object without a prototype', Object.create(null), 'an object'],
    ['an instance, by its class', new Named(), 'an instance of Named'],
    ['a built-in instance', new Map(), 'an instance of Map'],
  ])('%s: %p → %s', (_what, value, shown) => {
    expect(show(value)).toBe(shown);
  });

  test('runs no getter: not a name getter, not a constructor getter', () => {
    let calls = 0;
    const fn = function f() {};
    Object.defineProperty(fn, 'name', { get: () => (calls++, 'fromGetter') });
    const proto = {};
    Object.defineProperty(proto, 'constructor', { get: () => (calls++, class Fake {}) });
    expect(show(fn)).toBe('a function');
    expect(show(Object.create(proto))).toBe('an object');
    expect(calls).toBe(0);
  });
});

describe('checkOptions()', () => {
  const known = ['capacity', 'name'] as const;

  test('undefined: no options, undefined back', () => {
    expect(checkOptions('f()', undefined, known)).toBeUndefined();
  });

  test.each([
    [null, 'null'],
    [5, '5'],
    ['capacity', '"capacity"'],
    [() => 1, 'a function'],
  ])('%p: TypeError naming the function and the value received', (options, shown) => {
    expect(() => checkOptions('f()', options, known)).toThrow(TypeError);
    expect(() => checkOptions('f()', options, known)).toThrow(`f(): options must be an object, received ${shown}`);
  });

  test('an unknown option: TypeError naming it and the known ones', () => {
    expect(() => checkOptions('new Channel()', { capacity: 1, size: 2 }, known)).toThrow(TypeError);
    expect(() => checkOptions('new Channel()', { capacity: 1, size: 2 }, known)).toThrow('new Channel(): unknown option "size" (known: capacity, name)');
  });

  test('returns the own enumerable options in a record without a prototype', () => {
    const o = checkOptions('f()', { capacity: 3 }, known)!;
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect({ ...o }).toEqual({ capacity: 3 });
    expect('name' in o).toBe(false); // not given: not there, and nothing inherited shows through
    expect(o.toString).toBeUndefined();
  });

  test('inherited and non-enumerable properties are not options: neither read nor refused', () => {
    const options = Object.create({ capacity: 4, bogus: true });
    Object.defineProperty(options, 'hidden', { value: 1, enumerable: false });
    options.name = 'n';
    expect({ ...checkOptions('f()', options, known) }).toEqual({ name: 'n' });
  });

  test('each option is read once, by its getter, and then no more', () => {
    let reads = 0;
    const options = {
      get capacity() {
        reads++;
        return reads; // a different answer each time
      },
    };
    const o = checkOptions('f()', options, known)!;
    expect(reads).toBe(1);
    expect(o.capacity).toBe(1);
    expect(o.capacity).toBe(1);
    expect(reads).toBe(1);
  });
});

describe('signalOf() and checkSignal()', () => {
  const duck = { aborted: false, addEventListener() {}, removeEventListener() {} };

  test('no options, empty options, or an undefined signal: no signal', () => {
    expect(signalOf('send()', undefined)).toBeUndefined();
    expect(signalOf('send()', {})).toBeUndefined();
    expect(signalOf('send()', { signal: undefined })).toBeUndefined();
  });

  test('an AbortSignal, or anything shaped like one, is given back as it is', () => {
    const signal = new AbortController().signal;
    expect(signalOf('send()', { signal })).toBe(signal);
    expect(signalOf('send()', { signal: duck })).toBe(duck);
    expect(checkSignal('send()', duck)).toBe(duck);
  });

  test('options that are not an object, or hold another key: TypeError naming it', () => {
    expect(() => signalOf('receive()', null)).toThrow('receive(): options must be an object, received null');
    expect(() => signalOf('receive()', { timeout: 5 })).toThrow('receive(): unknown option "timeout" (known: signal)');
    expect(() => signalOf('receive()', { signal: undefined, timeout: 5 })).toThrow('receive(): unknown option "timeout" (known: signal)');
    expect(() => signalOf('receive()', { timeout: 5 })).toThrow(TypeError);
  });

  test.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['a boolean', true, 'true'],
    ['an empty object', {}, 'an object'],
    ['aborted not a boolean', { ...duck, aborted: 'no' }, 'an object'],
    ['no addEventListener', { aborted: false, removeEventListener() {} }, 'an object'],
    ['no removeEventListener', { aborted: false, addEventListener() {} }, 'an object'],
    ['an AbortController', new AbortController(), 'an instance of AbortController'],
  ])('%s: TypeError naming option "signal" and the value received', (_what, signal, shown) => {
    const message = `send(): option "signal" must be an AbortSignal, received ${shown}`;
    expect(() => checkSignal('send()', signal)).toThrow(TypeError);
    expect(() => checkSignal('send()', signal)).toThrow(message);
    expect(() => signalOf('send()', { signal })).toThrow(message);
  });
});

describe('checkCapacity()', () => {
  test.each([0, 1, 10, 2 ** 40, Infinity])('%p is taken as it is', (capacity) => {
    expect(checkCapacity('new Channel()', capacity)).toBe(capacity);
  });

  test('-0 comes back as 0', () => {
    expect(Object.is(checkCapacity('new Channel()', -0), 0)).toBe(true);
  });

  test.each([
    ['3', '"3"'],
    [null, 'null'],
    [undefined, 'undefined'],
    [3n, '3n'],
  ])('%p: TypeError naming option "capacity" and the value', (capacity, shown) => {
    expect(() => checkCapacity('new Channel()', capacity)).toThrow(TypeError);
    expect(() => checkCapacity('new Channel()', capacity)).toThrow(`new Channel(): option "capacity" must be a number, received ${shown}`);
  });

  test.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('%p: RangeError naming option "capacity" and the value', (capacity, shown) => {
    expect(() => checkCapacity('new Channel()', capacity)).toThrow(RangeError);
    expect(() => checkCapacity('new Channel()', capacity)).toThrow(`new Channel(): option "capacity" must be a non-negative integer or Infinity, received ${shown}`);
  });
});

describe('checkName()', () => {
  test('undefined or a string, the empty one included, is taken as it is', () => {
    expect(checkName('tasklet()', undefined)).toBeUndefined();
    expect(checkName('tasklet()', 'worker')).toBe('worker');
    expect(checkName('tasklet()', '')).toBe('');
  });

  test.each([
    [7, '7'],
    [null, 'null'],
    [Symbol('s'), 'a symbol'],
    [{ toString: () => 'x' }, 'an object'],
  ])('%p: TypeError naming option "name" and the value', (name, shown) => {
    expect(() => checkName('tasklet()', name)).toThrow(TypeError);
    expect(() => checkName('tasklet()', name)).toThrow(`tasklet(): option "name" must be a string, received ${shown}`);
  });
});
