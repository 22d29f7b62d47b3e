/**
 * Per-channel statistics (lib/inspect/stats.ts): counted only for channels that record them.
 */
import { Channel, recordStatistics, run, statistics, tasklet } from '../../lib/index';
import { S } from '../../lib/core/loop';

test('values passed, peak buffer, parked counts and parked time on a buffered channel', async () => {
  const ch = new Channel<number>({ name: 'jobs', capacity: 2 });
  const other = new Channel<number>({ name: 'other', capacity: 2 });
  recordStatistics(ch);
  try {
    expect(statistics(other)).toBeUndefined();
    tasklet(
      async () => {
        for (let i = 0; i < 4; i++) await ch.send(i); // the third parks on the full buffer
        await other.send(9);
        ch.close();
      },
      { name: 'producer' },
    )();
    const consumer = tasklet(
      async () => {
        await new Promise((r) => setTimeout(r, 5)); // outside: the producer fills the buffer meanwhile
        const got: number[] = [];
        for await (const v of ch) got.push(v);
        return got;
      },
      { name: 'consumer' },
    )();
    await run();
    expect(await consumer.join()).toEqual([0, 1, 2, 3]);
    const s = statistics(ch)!;
    expect(s.valuesPassed).toBe(4);
    expect(s.peakBuffer).toBe(2);
    expect(s.parked.senders).toBe(1);
    expect(s.cancelled).toBe(0);
    expect(s.parkedMs.senders).toBeGreaterThan(1);
    expect(Object.isFrozen(s)).toBe(true);
    expect(statistics(other)).toBeUndefined();
  } finally {
    recordStatistics(ch, false);
  }
  expect(statistics(ch)).toBeUndefined();
  expect(S.watcher).toBeNull();
});

test('a rendezvous: parked receivers count their wait; end-of-channel and aborted waits pass no value', async () => {
  const ch = new Channel<string>({ name: 'r' });
  recordStatistics(ch);
  try {
    const r1 = tasklet(async () => ch.receive(), { name: 'r1' })();
    await new Promise((r) => setImmediate(r));
    await ch.send('a'); // to the parked receiver
    expect(await r1.join()).toBe('a');
    const abort = new AbortController();
    const aborted = ch.receive({ signal: abort.signal }).catch(() => 'aborted');
    abort.abort();
    expect(await aborted).toBe('aborted');
    const ended = tasklet(async () => ch.receive().catch((e: Error) => e.name), { name: 'ended' })();
    await new Promise((r) => setImmediate(r));
    ch.close();
    expect(await ended.join()).toBe('ChannelClosedError');
    const s = statistics(ch)!;
    expect(s.valuesPassed).toBe(1);
    expect(s.parked).toEqual({ senders: 0, receivers: 3 });
    expect(s.cancelled).toBe(1);
    expect(s.peakBuffer).toBe(0);
  } finally {
    recordStatistics(ch, false);
  }
});

test('tryReceive and a sendThrow count as values passed', async () => {
  const ch = new Channel<number>({ capacity: Infinity });
  recordStatistics(ch);
  try {
    ch.trySend(1);
    ch.trySend(2);
    await ch.sendThrow(new Error('x'));
    expect(ch.tryReceive()).toEqual({ ok: true, value: 1 });
    expect(ch.tryReceive()).toEqual({ ok: true, value: 2 });
    await expect(ch.receive()).rejects.toThrow('x');
    expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
    expect(statistics(ch)).toMatchObject({ valuesPassed: 3, peakBuffer: 3 });
  } finally {
    recordStatistics(ch, false);
  }
  expect(() => recordStatistics({} as never)).toThrow(TypeError);
});
