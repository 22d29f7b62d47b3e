/**
 * snapshot() (lib/inspect/snapshot.ts): a JSON-able picture of the scheduler.
 */
import { Channel, schedule, setDebug, snapshot, tasklet } from '../../lib/index';
import { killAll } from '../helpers';

test('tasklets with their state and wait, the run queue in order, channels with their parked waiters', async () => {
  const inbox = new Channel<number>({ name: 'inbox' });
  const box = new Channel<number>({ name: 'box', capacity: 3 });
  box.trySend(7);
  const blocked = tasklet(async () => inbox.receive(), { name: 'blocked' })();
  const paused = tasklet(async () => {}, { name: 'paused' })().remove();
  let inside: ReturnType<typeof snapshot> | undefined;
  const looker = tasklet(
    async () => {
      await schedule();
      inside = snapshot();
    },
    { name: 'looker' },
  )();
  await schedule(); // blocked parks, looker yields; plain code runs
  const later = tasklet(async () => {}, { name: 'later' })();
  const s = snapshot();
  expect(s.running).toEqual({ id: null, name: 'plain code', label: 'plain code' });
  expect(s.tasklets.map((t) => [t.name, t.state])).toEqual([
    ['blocked', 'blocked'],
    ['paused', 'paused'],
    ['looker', 'runnable'],
    ['later', 'new'],
  ]);
  expect(s.tasklets[0].wait).toMatchObject({ op: 'receive', channel: { name: 'inbox', balance: -1 } });
  expect(s.runQueue.map((p) => p.name)).toEqual(['looker', 'later']);
  expect(s.channels).toEqual([
    { name: 'inbox', balance: -1, length: 0, capacity: 0, closing: false, senders: [], receivers: [{ id: blocked.id, name: 'blocked', label: String(blocked) }] },
  ]);
  expect(JSON.parse(JSON.stringify(s))).toEqual(s);

  await looker.join();
  expect(inside!.running).toMatchObject({ name: 'looker' });
  expect(inside!.tasklets.find((t) => t.name === 'looker')!.state).toBe('running');

  // With the channel registry, channels nobody is parked on are listed too.
  setDebug({ channels: true });
  try {
    box.trySend(8);
    expect(snapshot().channels.map((c) => [c.name, c.length, c.capacity])).toEqual([
      ['box', 2, 3],
      ['inbox', 0, 0],
    ]);
  } finally {
    setDebug({ channels: false });
  }
  paused.insert();
  await killAll(blocked, paused, later);
});

test('plain code parked shows in plain, an unbounded capacity as null', async () => {
  const ch = new Channel<number>({ name: 'wide', capacity: Infinity });
  const abort = new AbortController();
  const p = ch.receive({ signal: abort.signal }).catch(() => 'aborted');
  const s = snapshot();
  expect(s.plain).toEqual([
    { op: 'receive', channel: { name: 'wide', balance: -1, length: 0, capacity: null, closing: false }, text: 'receives on channel "wide" (balance -1, buffer 0/∞)' },
  ]);
  abort.abort();
  expect(await p).toBe('aborted');
});
