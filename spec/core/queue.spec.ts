/**
 * The ring-buffer queue (lib/core/queue.ts), on its own: first in, first out across the
 * ring's wrap-around and its growth; a shifted slot is cleared, so the ring keeps no
 * value alive; the ring's length stays a power of two and, once grown to the working
 * size, it is not replaced again (push and shift allocate nothing).
 */
import fc from 'fast-check';
import { Queue } from '../../lib/core/queue';

/** The queue's private ring, to check its shape. */
const ring = (q: Queue<unknown>): unknown[] => (q as unknown as { ring: unknown[] }).ring;

test('an empty queue has length 0, shifts undefined and iterates nothing', () => {
  const q = new Queue<number>();
  expect(q.length).toBe(0);
  expect(q.shift()).toBeUndefined();
  expect(q.length).toBe(0);
  expect([...q]).toEqual([]);
});

test('values come out in the order they went in, also after the ring wraps around', () => {
  const q = new Queue<number>();
  for (let i = 0; i < 6; i++) q.push(i);
  expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([0, 1, 2, 3]);
  // head is at 4 of 8: these six wrap past the end of the ring without growing it
  for (let i = 6; i < 12; i++) q.push(i);
  expect(ring(q)).toHaveLength(8);
  expect([...q]).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  const out: number[] = [];
  while (q.length > 0) out.push(q.shift()!);
  expect(out).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
});

test('growing a wrapped ring keeps the order: the oldest value is still shifted first', () => {
  const q = new Queue<string>();
  for (let i = 0; i < 8; i++) q.push(`a${i}`);
  q.shift();
  q.shift();
  q.shift(); // head at 3
  for (let i = 0; i < 3; i++) q.push(`b${i}`); // wraps: the ring is full (8 of 8)
  q.push('c'); // grows to 16
  expect(ring(q)).toHaveLength(16);
  expect(q.length).toBe(9);
  const expected = ['a3', 'a4', 'a5', 'a6', 'a7', 'b0', 'b1', 'b2', 'c'];
  expect([...q]).toEqual(expected);
  expect(Array.from({ length: 9 }, () => q.shift())).toEqual(expected);
  expect(q.shift()).toBeUndefined();
});

test('iterating does not consume: length and the next shift are unchanged', () => {
  const q = new Queue<number>();
  [1, 2, 3].forEach((v) => q.push(v));
  expect([...q]).toEqual([1, 2, 3]);
  expect([...q]).toEqual([1, 2, 3]);
  expect(q.length).toBe(3);
  expect(q.shift()).toBe(1);
});

test('a shifted slot is cleared: the ring holds only the values still queued', () => {
  const q = new Queue<object>();
  const items = Array.from({ length: 5 }, (_, i) => ({ i }));
  items.forEach((it) => q.push(it));
  q.shift();
  q.shift();
  const held = ring(q).filter((x) => x !== undefined);
  expect(held).toEqual(items.slice(2));
  expect(ring(q)).not.toContain(items[0]);
  expect(ring(q)).not.toContain(items[1]);
});

test('falsy values are values: undefined, null, 0 and "" are queued and counted like any other', () => {
  const q = new Queue<unknown>();
  const values = [undefined, null, 0, '', false, NaN];
  values.forEach((v) => q.push(v));
  expect(q.length).toBe(values.length);
  expect([...q]).toEqual(values);
  expect(values.map(() => q.shift())).toEqual(values);
  expect(q.length).toBe(0);
});

test('the ring is a power of two in length and, at a steady size, is never replaced', () => {
  const q = new Queue<number>();
  for (let i = 0; i < 100; i++) q.push(i);
  const grown = ring(q);
  expect(grown.length).toBe(128);
  // a working set that stays at or below the ring's size: push and shift reuse it
  for (let i = 0; i < 10_000; i++) {
    q.push(i);
    q.shift();
  }
  expect(ring(q)).toBe(grown);
  expect(q.length).toBe(100);
});

test('property: any sequence of pushes and shifts behaves like an array used as a FIFO', () => {
  // Two pushes to a shift, over long runs (size 'max': fast-check keeps arrays short by
  // default), so the ring wraps and grows several times, with its head anywhere.
  const push = fc.integer({ min: 0, max: 1000 }).map((v) => ({ push: v }));
  const op = fc.oneof({ arbitrary: push, weight: 2 }, { arbitrary: fc.constant({ push: undefined }), weight: 1 }); // undefined: shift
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300, size: 'max' }), (ops) => {
      const q = new Queue<number>();
      const model: number[] = [];
      for (const o of ops) {
        if (o.push === undefined) expect(q.shift()).toBe(model.shift());
        else {
          q.push(o.push);
          model.push(o.push);
        }
        expect(q.length).toBe(model.length);
      }
      expect([...q]).toEqual(model);
      const size = ring(q).length;
      expect(size & (size - 1)).toBe(0);
    }),
    { numRuns: 200 },
  );
});
