/**
 * Regression: `traceToSvg(5)` failed with "Cannot read properties of undefined"; like
 * every other function it now names its argument and what it received.
 */
import { traceToSvg } from '../../lib/index';

test.each([
  [5, '5'],
  [null, 'null'],
  [{}, 'an object'],
  [{ traceEvents: 'no' }, 'an object'],
  [Object.create({ traceEvents: [] }), 'an object'],
])('traceToSvg(%p): TypeError naming trace', (trace, shown) => {
  expect(() => traceToSvg(trace as never)).toThrow(TypeError);
  expect(() => traceToSvg(trace as never)).toThrow(`traceToSvg(): trace must be a recorded trace (trace.toJSON(): an object with a traceEvents array), received ${shown}`);
});

test('its options are checked too', () => {
  const trace = { traceEvents: [], displayTimeUnit: 'ms' as const, otherData: { library: 'tasklets' as const, dropped: 0 } };
  expect(traceToSvg(trace)).toMatch(/^<svg/);
  expect(() => traceToSvg(trace, 5 as never)).toThrow(/traceToSvg\(\): options must be an object, received 5/);
  expect(() => traceToSvg(trace, { width: 'wide' } as never)).toThrow(/traceToSvg\(\): option "width" must be a number, received "wide"/);
  expect(() => traceToSvg(trace, { lanes: 0 })).toThrow(RangeError);
  expect(() => traceToSvg(trace, { height: 3 } as never)).toThrow(/unknown option "height"/);
});
