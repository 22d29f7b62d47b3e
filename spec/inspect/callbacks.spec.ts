/**
 * Stackless's callbacks (lib/inspect/callbacks.ts): the schedule callback sees every switch, the
 * channel callback every operation with whether it will park; both cost one field
 * check when unset (S.watcher stays null).
 */
import { S } from '../../lib/core/loop';
import { Channel, getChannelCallback, getScheduleCallback, run, schedule, setChannelCallback, setScheduleCallback, type Tasklet, tasklet } from '../../lib/index';
import { observe } from '../../lib/inspect/bus';
import { channelWrapped } from '../../lib/inspect/wrap';
import { Tasklet as TaskletClass } from '../../lib/core/tasklet';
import { Waiter } from '../../lib/core/waiter';

const label = (t: Tasklet | undefined): string => (t === undefined ? 'plain' : t.name);

test('setScheduleCallback sees each switch as (prev, next), in the order the loop runs them', async () => {
  const seen: string[] = [];
  const cb = (prev: Tasklet | undefined, next: Tasklet | undefined): void => void seen.push(`${label(prev)}>${label(next)}`);
  expect(setScheduleCallback(cb)).toBeNull();
  try {
    expect(getScheduleCallback()).toBe(cb);
    for (const name of ['a', 'b']) {
      tasklet(
        async () => {
          await schedule();
        },
        { name },
      )();
    }
    await run();
  } finally {
    expect(setScheduleCallback(null)).toBe(cb);
  }
  // a starts, b starts, a resumes after schedule(), then b; then the plain run() resumes.
  expect(seen.slice(0, 4)).toEqual(['plain>a', 'a>b', 'b>a', 'a>b']);
  expect(seen[seen.length - 1]).toMatch(/>plain$/);
  expect(S.watcher).toBeNull();
});

test('setChannelCallback sees every operation, the caller, the direction and whether it parks', async () => {
  const ch = new Channel<number>({ name: 'c' });
  const seen: string[] = [];
  setChannelCallback((channel, t, sending, willBlock) => void seen.push(`${label(t)} ${sending ? 'send' : 'receive'} ${channel.name}${willBlock ? ' blocks' : ''}`));
  try {
    const r = tasklet(async () => ch.receive(), { name: 'r' })();
    const s = tasklet(
      async () => {
        await ch.send(1);
        ch.trySend(2); // nobody parked: fails without blocking
        ch.tryReceive();
      },
      { name: 's' },
    )();
    await run();
    expect(await r.join()).toBe(1);
    expect(s.alive).toBe(false);
  } finally {
    setChannelCallback(null);
  }
  expect(seen).toEqual(['r receive c blocks', 's send c', 's send c', 's receive c']);
  expect(getChannelCallback()).toBeNull();
});

test('willBlock follows the buffer: a send blocks only on a full buffer, a receive only on an empty one', async () => {
  const ch = new Channel<number>({ name: 'b', capacity: 1 });
  const blocks: boolean[] = [];
  setChannelCallback((_c, _t, _s, willBlock) => void blocks.push(willBlock));
  try {
    await ch.send(1); // room
    const parked = ch.send(2); // full
    await ch.receive(); // a value; the parked sender moves in
    await parked;
    await ch.receive();
    const abort = new AbortController();
    const r = ch.receive({ signal: abort.signal }).catch(() => 'aborted'); // empty
    abort.abort();
    expect(await r).toBe('aborted');
  } finally {
    setChannelCallback(null);
  }
  expect(blocks).toEqual([false, true, false, false, true]);
});

test('a bad callback is a TypeError and changes nothing', () => {
  expect(() => setScheduleCallback(42 as never)).toThrow(/setScheduleCallback\(\): callback must be a function or null/);
  expect(() => setChannelCallback('x' as never)).toThrow(TypeError);
  expect(getScheduleCallback()).toBeNull();
  expect(S.watcher).toBeNull();
});

test('observers subscribe and unsubscribe; S.watcher is null exactly when none is subscribed', () => {
  expect(S.watcher).toBeNull();
  // Unobserved, the channel runs its own methods: nothing wraps them.
  const methods = ['offer', 'take', 'trySend', 'tryReceive'] as const;
  const proto = Channel.prototype as unknown as Record<(typeof methods)[number], unknown>;
  const own = methods.map((m) => proto[m]);
  const loopOwn = [Waiter.prototype._settle, TaskletClass.prototype._start];
  expect(channelWrapped()).toBe(false);
  const off1 = observe({ idle() {} });
  expect(channelWrapped()).toBe(true);
  expect(methods.map((m) => proto[m])).not.toEqual(own);
  expect(Waiter.prototype._settle).not.toBe(loopOwn[0]); // the loop's resumptions are observed too
  const off2 = observe({ end() {} });
  expect(S.watcher).not.toBeNull();
  off1();
  expect(S.watcher).not.toBeNull();
  off2();
  off2(); // twice is harmless
  expect(S.watcher).toBeNull();
  expect(channelWrapped()).toBe(false);
  expect(methods.map((m) => proto[m])).toEqual(own);
  expect([Waiter.prototype._settle, TaskletClass.prototype._start]).toEqual(loopOwn);
  expect(Object.keys(Channel.prototype)).toEqual([]); // put back as they were: not enumerable
});
