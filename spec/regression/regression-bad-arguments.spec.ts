/**
 * Bugs in argument checking (SPEC.md: "A bad option is a RangeError/TypeError whose
 * message names the option and the value received"; "Bad arguments are TypeError or
 * RangeError"):
 *  1. new Channel({ preference: null }) is accepted (silently -1), and so are
 *     { capacity: null } (silently 0) and { overflow: null } (silently 'block'):
 *     the constructor reads options with `??`, which takes null for "not given".
 *     (The preference setter does refuse null.)
 *  2. sendException() with a function that is not a constructor (an arrow function,
 *     a method, Symbol) fails with the engine's "X is not a constructor", which does
 *     not name the value received (for Symbol not even the argument).
 */
import { Channel } from '../../lib/index';
import { failure } from '../helpers';

test.each(['preference', 'capacity', 'overflow'])('new Channel({ %s: null }) is refused', async (option) => {
  const error = await failure(() => new Channel({ [option]: null })); // fails: accepted
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(new RegExp(`${option}.*null`));
});

test.each([
  ['an arrow function', () => new Error('x')],
  ['a method', Math.max],
  ['Symbol', Symbol],
])('sendException(%s): TypeError naming ErrorClass and the value received', async (_, notAConstructor) => {
  const ch = new Channel({ capacity: 1 });
  const error = await failure(() => ch.sendException(notAConstructor as never));
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toMatch(/ErrorClass/);
  expect((error as Error).message).toMatch(/received/); // fails: "ErrorClass is not a constructor"
  expect(ch.length).toBe(0);
});
