/**
 * The registry of live tasklets (lib/core/registry.ts): an intrusive doubly linked list
 * through each tasklet's `_older`/`_newer`, iterated in creation order; `delete` takes a
 * tasklet out from anywhere (oldest, newest, between) in O(1) and clears its links; `size`
 * counts what is in it. The list itself is tested on bare records carrying the two links,
 * which is all it touches; the last test checks the loop's own registry through
 * `loopInternals()`.
 */
import { loopInternals } from '../../lib/core/loop';
import { Registry } from '../../lib/core/registry';
import type { Tasklet } from '../../lib/core/tasklet';
import { Channel, tasklet } from '../../lib/index';
import { idle, killAll } from '../helpers';

/** A record with the registry's two links, named for failure messages. */
function node(name: string): Tasklet {
  return { name, _older: null, _newer: null } as unknown as Tasklet;
}

const names = (r: Registry): string[] => [...r].map((t) => t.name);

/** Walks the list from the newest back to the oldest through `_older`: the links both ways agree. */
function backwards(r: Registry): string[] {
  const out: string[] = [];
  let last: Tasklet | null = null;
  for (const t of r) last = t;
  for (let t = last; t !== null; t = t._older) out.push(t.name);
  return out;
}

test('an empty registry has size 0 and iterates nothing', () => {
  const r = new Registry();
  expect(r.size).toBe(0);
  expect([...r]).toEqual([]);
});

test('iterates in the order tasklets were added, and the links agree both ways', () => {
  const r = new Registry();
  const [a, b, c] = ['a', 'b', 'c'].map(node);
  [a, b, c].forEach((t) => r.add(t));
  expect(r.size).toBe(3);
  expect(names(r)).toEqual(['a', 'b', 'c']);
  expect(backwards(r)).toEqual(['c', 'b', 'a']);
  expect(a._older).toBeNull();
  expect(c._newer).toBeNull();
});

test.each([
  ['the oldest', 'a', ['b', 'c', 'd']],
  ['one between', 'b', ['a', 'c', 'd']],
  ['the newest', 'd', ['a', 'b', 'c']],
])('deleting %s keeps the others in order and clears its links', (_where, gone, rest) => {
  const r = new Registry();
  const nodes = new Map(['a', 'b', 'c', 'd'].map((n) => [n, node(n)]));
  for (const t of nodes.values()) r.add(t);
  const t = nodes.get(gone)!;
  r.delete(t);
  expect(r.size).toBe(3);
  expect(names(r)).toEqual(rest);
  expect(backwards(r)).toEqual([...rest].reverse());
  expect([t._older, t._newer]).toEqual([null, null]);
});

test('after deleting the newest, the next one added goes after the new newest', () => {
  const r = new Registry();
  const [a, b, c] = ['a', 'b', 'c'].map(node);
  r.add(a);
  r.add(b);
  r.delete(b);
  r.add(c);
  expect(names(r)).toEqual(['a', 'c']);
  expect(backwards(r)).toEqual(['c', 'a']);
});

test('deleting the only one empties it; it can be filled again, and a deleted tasklet re-added goes last', () => {
  const r = new Registry();
  const [a, b] = ['a', 'b'].map(node);
  r.add(a);
  r.delete(a);
  expect(r.size).toBe(0);
  expect([...r]).toEqual([]);
  r.add(b);
  r.add(a);
  expect(names(r)).toEqual(['b', 'a']);
  expect(backwards(r)).toEqual(['a', 'b']);
});

test("the loop's registry holds the live tasklets in creation order, and lets go of finished ones", async () => {
  const gate = new Channel<void>();
  const ts = ['first', 'second', 'third'].map((name) => tasklet(async () => gate.receive(), { name })());
  const before = loopInternals().aliveCount;
  expect([...loopInternals().alive].slice(-3)).toEqual(ts);
  await idle();
  gate.trySend(); // the oldest parked receiver takes it and finishes
  await idle();
  expect(ts.map((t) => t.alive)).toEqual([false, true, true]);
  expect(loopInternals().aliveCount).toBe(before - 1);
  expect([...loopInternals().alive]).not.toContain(ts[0]);
  expect([...loopInternals().alive].slice(-2)).toEqual(ts.slice(1));
  await killAll(...ts);
});
