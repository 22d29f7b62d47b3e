/**
 * Regression: `capacity: -0` and `preference: -0` were accepted and read back as `-0`
 * (`Object.is(ch.capacity, -0)`); they are normalised to `0`.
 */
import { Channel } from '../../lib/index';

test('capacity -0 reads back as 0', () => {
  expect(Object.is(new Channel({ capacity: -0 }).capacity, 0)).toBe(true);
});

test('preference -0 reads back as 0, from the option and from the setter', () => {
  const ch = new Channel({ preference: -0 as 0 });
  expect(Object.is(ch.preference, 0)).toBe(true);
  ch.preference = 1;
  ch.preference = -0;
  expect(Object.is(ch.preference, 0)).toBe(true);
});
