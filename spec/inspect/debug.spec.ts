/**
 * Debug options (lib/inspect/debug.ts): `setDebug()` checks its options before it changes
 * anything, returns the ones set before and keeps those left out; each option on is one
 * observer (lib/inspect/bus.ts), and with both off there is none. `stacks` captures,
 * when an operation parks, the caller's stack without a single frame of the library
 * (whichever room of lib/ it is in), the last park of a reused waiter winning, and
 * forgets them when turned off; `channels` remembers the channels used while it is on,
 * oldest first, and starts afresh each time it is turned on. (How reports show all this
 * is spec/run/report.spec.ts's.)
 */
import * as path from 'node:path';
import { Channel, type DeadlockError, getDebug, run, setDebug, tasklet } from '../../lib/index';
import { knownChannels } from '../../lib/inspect/debug';
import { observerCount } from '../../lib/inspect/bus';
import { channelWrapped } from '../../lib/inspect/wrap';
import { idle, killAll, rejection } from '../helpers';

/** lib/ of this checkout, with a trailing separator: no captured frame may be in it. */
const libDir = path.join(__dirname, '..', '..', 'lib') + path.sep;

/** Runs `fn`, then turns every debug option off, whatever happens. */
async function withDebug(fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } finally {
    setDebug({ stacks: false, channels: false });
  }
}

/** The deadlock `run()` rejects with. */
async function deadlock(): Promise<DeadlockError> {
  const e = (await rejection(run())) as DeadlockError;
  expect(e.name).toBe('DeadlockError');
  return e;
}

describe('setDebug() and getDebug()', () => {
  test('both off by default, and no observer', () => {
    expect(getDebug()).toEqual({ stacks: false, channels: false });
    expect(observerCount()).toBe(0);
  });

  test('setDebug returns the options set before and keeps the ones left out', () =>
    withDebug(() => {
      expect(setDebug({ channels: true })).toEqual({ stacks: false, channels: false });
      expect(getDebug()).toEqual({ stacks: false, channels: true });
      expect(setDebug({ stacks: true })).toEqual({ stacks: false, channels: true });
      expect(setDebug({ channels: false })).toEqual({ stacks: true, channels: true });
      expect(getDebug()).toEqual({ stacks: true, channels: false });
      expect(setDebug({})).toEqual({ stacks: true, channels: false });
      expect(getDebug()).toEqual({ stacks: true, channels: false });
    }));

  test('getDebug returns a copy: changing it changes nothing', () => {
    const got = getDebug();
    got.stacks = true;
    expect(getDebug().stacks).toBe(false);
    expect(observerCount()).toBe(0);
  });

  test.each<[string, unknown, RegExp]>([
    ['null', null, /^setDebug\(\): options must be an object, received null$/],
    ['a boolean', true, /^setDebug\(\): options must be an object, received true$/],
    ['an unknown option', { colour: true }, /^setDebug\(\): unknown option "colour" \(known: stacks, channels\)$/],
    ['stacks not a boolean', { stacks: 'yes' }, /^setDebug\(\): option "stacks" must be a boolean, received /],
    ['channels not a boolean', { stacks: true, channels: 1 }, /^setDebug\(\): option "channels" must be a boolean, received /],
  ])('%s: a TypeError naming it, and nothing changes', (_what, options, message) =>
    withDebug(() => {
      setDebug({ channels: true });
      const before = { options: getDebug(), observers: observerCount() };
      expect(() => setDebug(options as never)).toThrow(TypeError);
      expect(() => setDebug(options as never)).toThrow(message);
      expect({ options: getDebug(), observers: observerCount() }).toEqual(before);
    }),
  );

  test('each option on is one observer in all, however often it is set; both off, none, and the channels are unwrapped', () =>
    withDebug(() => {
      setDebug({ stacks: true });
      expect(observerCount()).toBe(1);
      setDebug({ channels: true });
      setDebug({ stacks: true, channels: true });
      setDebug({ stacks: false });
      expect(observerCount()).toBe(1);
      expect(channelWrapped()).toBe(true); // the history watches every channel operation
      setDebug({ channels: false });
      expect(observerCount()).toBe(0);
      expect(channelWrapped()).toBe(false);
    }));
});

describe('stacks', () => {
  test('where a tasklet parked: its own function and this file first, not a frame of lib/', () =>
    withDebug(async () => {
      setDebug({ stacks: true });
      const ch = new Channel<number>({ name: 'deep' });
      async function waitHere(): Promise<number> {
        return ch.receive();
      }
      const t = tasklet(waitHere, { name: 'stacked' })();
      try {
        const stack = (await deadlock()).report!.parked[0].wait.stack!;
        const frames = stack.split('\n');
        expect(frames[0]).toMatch(/^at waitHere \(.*debug\.spec\.ts:\d+:\d+\)$/);
        expect(frames.filter((f) => f.includes(libDir))).toEqual([]);
        expect(frames.length).toBeLessThanOrEqual(8);
      } finally {
        await t.kill();
      }
    }));

  test('plain code parked: the same, its own function first', () =>
    withDebug(async () => {
      setDebug({ stacks: true });
      const ch = new Channel<number>({ name: 'plain' });
      const abort = new AbortController();
      function plainWait(): Promise<number> {
        return ch.receive({ signal: abort.signal });
      }
      const parked = plainWait();
      const t = tasklet(async () => new Channel<void>().receive(), { name: 'stuck' })(); // so that run() has a deadlock to report
      try {
        const e = await deadlock();
        const plain = e.report!.parked.find((p) => p.party.name === 'plain code')!;
        expect(plain.wait.stack!.split('\n')[0]).toMatch(/^at plainWait \(.*debug\.spec\.ts:\d+:\d+\)$/);
        expect(plain.wait.stack).not.toContain(libDir);
      } finally {
        abort.abort(new Error('done'));
        await rejection(parked);
        await t.kill();
      }
    }));

  test('a tasklet that parks again: the stack of its latest park', () =>
    withDebug(async () => {
      setDebug({ stacks: true });
      const ch = new Channel<number>({ name: 'twice' });
      async function firstWait(): Promise<number> {
        return ch.receive();
      }
      async function secondWait(): Promise<number> {
        return ch.receive();
      }
      const t = tasklet(async () => (await firstWait()) + (await secondWait()))();
      try {
        await idle();
        expect(ch.trySend(1)).toBe(true);
        const stack = (await deadlock()).report!.parked[0].wait.stack!;
        expect(stack).toMatch(/^at secondWait /);
        expect(stack).not.toMatch(/firstWait/);
      } finally {
        await t.kill();
      }
    }));

  test('nothing is captured while off, and what was captured is forgotten when turned off', () =>
    withDebug(async () => {
      const ch = new Channel<number>();
      const unstacked = tasklet(async () => ch.receive())();
      await idle();
      setDebug({ stacks: true });
      const stacked = tasklet(async () => ch.receive())();
      try {
        await idle();
        let parked = (await deadlock()).report!.parked;
        expect(parked.map((p) => p.wait.stack === undefined)).toEqual([true, false]);
        setDebug({ stacks: false });
        parked = (await deadlock()).report!.parked;
        expect(parked.map((p) => p.wait.stack)).toEqual([undefined, undefined]);
      } finally {
        await killAll(unstacked, stacked);
      }
    }));
});

describe('channels', () => {
  test('the channels used while on, oldest first; not those used before', () =>
    withDebug(() => {
      const before = new Channel<number>({ name: 'before', capacity: 1 });
      before.trySend(1);
      setDebug({ channels: true });
      const a = new Channel<number>({ name: 'a', capacity: 1 });
      const b = new Channel<number>({ name: 'b', capacity: 1 });
      const unused = new Channel<number>({ name: 'unused' });
      b.trySend(1);
      a.tryReceive();
      before.tryReceive();
      b.tryReceive(); // seen already: listed once
      expect(knownChannels().map((c) => c.name)).toEqual(['b', 'a', 'before']);
      expect(unused.name).toBe('unused');
    }));

  test('turned off and on again, the history starts afresh', () =>
    withDebug(() => {
      setDebug({ channels: true });
      new Channel<number>({ name: 'old', capacity: 1 }).trySend(1);
      setDebug({ channels: true }); // already on: kept
      expect(knownChannels().map((c) => c.name)).toEqual(['old']);
      setDebug({ channels: false });
      setDebug({ channels: true });
      expect(knownChannels()).toEqual([]);
      new Channel<number>({ name: 'new', capacity: 1 }).trySend(1);
      expect(knownChannels().map((c) => c.name)).toEqual(['new']);
    }));
});
