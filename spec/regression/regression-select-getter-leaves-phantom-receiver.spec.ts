/**
 * Regression: select read its cases object several times — to check it, to find a ready
 * case, and again while parking one waiter per case. A getter that threw on its third
 * read failed the select half-way through parking, leaving a phantom receiver in the
 * channel: `a.trySend('precious')` then returned true and the value vanished. The cases
 * are now read once, before anything changes.
 */
import { Channel, select, trySelect } from '../../lib/index';

test('a cases getter that throws on its third read: the select parks on what it read once, and the value sent is received', async () => {
  const a = new Channel<string>({ name: 'a' });
  const b = new Channel<string>({ name: 'b' });
  let reads = 0;
  const cases = {
    x: a.receiveCase(),
    get y() {
      if (++reads === 3) throw new Error('third read');
      return b.receiveCase();
    },
  };
  let p: Promise<unknown> | undefined;
  let thrown: unknown;
  try {
    p = select(cases);
  } catch (e) {
    thrown = e; // the old code: thrown while parking, after x had parked on a
  }
  expect(thrown).toBeUndefined();
  expect(reads).toBe(1); // read once, so the third read never comes
  expect(a.balance).toBe(-1);
  expect(b.balance).toBe(-1);
  expect(a.trySend('precious')).toBe(true);
  expect(await p).toEqual({ key: 'x', value: 'precious', done: false }); // not lost
  expect(a.balance + b.balance).toBe(0);
});

test('a getter read once per select: the select parks on exactly what was read', async () => {
  const a = new Channel<string>({ name: 'a' });
  const b = new Channel<string>({ name: 'b' });
  let reads = 0;
  const cases = {
    get x() {
      reads++;
      return reads === 1 ? a.receiveCase() : b.receiveCase();
    },
  };
  const p = select(cases);
  expect(reads).toBe(1);
  expect(a.balance).toBe(-1);
  expect(b.balance).toBe(0);
  expect(b.trySend('not for the select')).toBe(false);
  expect(a.trySend('precious')).toBe(true);
  expect(await p).toEqual({ key: 'x', value: 'precious', done: false });
});

test('a getter that throws: the select throws before touching any channel', () => {
  const a = new Channel<string>();
  const cases = {
    x: a.receiveCase(),
    get y(): never {
      throw new Error('no case');
    },
  };
  expect(() => select(cases)).toThrow('no case');
  expect(() => trySelect(cases)).toThrow('no case');
  expect(a.balance).toBe(0);
  expect(a.trySend('precious')).toBe(false);
});
