/**
 * Regression: a bad argument that is a Proxy whose `getPrototypeOf` trap throws (as
 * `capacity`, `name`, `tasklet(fn)`, a select's cases, `sleep(ms)`) made the library
 * throw the trap's error instead of its `TypeError`: building the message called
 * `Object.getPrototypeOf` (and a class's `name` getter), though `show()` promises never
 * to run user code. Now the message reads only data descriptors, inside `try`, and the
 * checks themselves are trap-safe.
 */
import { Channel, select, sleep, tasklet, trySelect } from '../../lib/index';
import { show } from '../../lib/base/validate';

class TrapError extends Error {}

function hostile(target: object = {}): { proxy: object; traps: string[] } {
  const traps: string[] = [];
  const handler: ProxyHandler<object> = {};
  for (const trap of ['getPrototypeOf', 'get', 'getOwnPropertyDescriptor', 'has', 'ownKeys'] as const) {
    (handler as Record<string, unknown>)[trap] = () => {
      traps.push(trap);
      throw new TrapError(trap);
    };
  }
  return { proxy: new Proxy(target, handler), traps };
}

test.each([
  ['new Channel({ capacity })', (p: object) => new Channel({ capacity: p as never }), /new Channel\(\): option "capacity" must be a number, received an object/],
  ['new Channel({ name })', (p: object) => new Channel({ name: p as never }), /new Channel\(\): option "name" must be a string, received an object/],
  ['new Channel({ preference })', (p: object) => new Channel({ preference: p as never }), /preference must be -1, 0 or 1, received an object/],
  ['tasklet(fn)', (p: object) => tasklet(p as never), /tasklet\(\): fn must be a function, received an object/],
  [
    'select(cases) with a Proxy case',
    (p: object) => select({ a: p as never }),
    /select\(\): case "a" must come from channel.receiveCase\(\) or channel.sendCase\(value\), received an object/,
  ],
  ['trySelect(cases) with a Proxy case', (p: object) => trySelect({ a: p as never }), /trySelect\(\): case "a" must come from/],
  ['sleep(ms)', (p: object) => sleep(p as never), /sleep\(\): ms must be a number of milliseconds, received an object/],
])('%s: a TypeError naming the argument, not the trap error', (_name, call, message) => {
  const { proxy } = hostile();
  expect(() => call(proxy)).toThrow(TypeError);
  expect(() => call(proxy)).toThrow(message);
});

test('select over cases that are a Proxy of an array: TypeError "an array" or "an object", never the trap error', () => {
  const { proxy } = hostile([]);
  expect(() => select(proxy as never)).toThrow(TypeError);
  expect(() => select(proxy as never)).toThrow(/select\(\): cases must be an object of named cases, received an (array|object)/);
});

test('show() runs no getter and survives every trap', () => {
  const { proxy, traps } = hostile();
  expect(show(proxy)).toBe('an object');
  const fnProxy = new Proxy(function named() {}, {
    get() {
      throw new TrapError('get');
    },
    getOwnPropertyDescriptor() {
      throw new TrapError('getOwnPropertyDescriptor');
    },
  });
  expect(show(fnProxy)).toBe('a function');
  class Sneaky {}
  Object.defineProperty(Sneaky, 'name', {
    get() {
      throw new TrapError('name getter');
    },
  });
  expect(show(Sneaky)).toBe('a function');
  expect(show(new Sneaky())).toBe('an object');
  const { proxy: revoked, revoke } = Proxy.revocable([], {});
  revoke();
  expect(show(revoked)).toBe('an object');
  expect(traps.every((t) => t !== 'get')).toBe(true); // no getter was asked for
  class Named {}
  expect(show(new Named())).toBe('an instance of Named');
  expect(show([1])).toBe('an array');
  expect(show(-0)).toBe('-0');
});
