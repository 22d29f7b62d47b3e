/**
 * Traces (lib/inspect/trace.ts, lib/inspect/trace-svg.ts): Chrome Trace Event JSON with one track per
 * tasklet, slices that never overlap, a flow arrow per hand-off; a DOT graph of who
 * talked over which channel; an SVG timeline.
 */
import { parseArgs, runit } from '../../examples/hackysack';
import { Channel, run, schedule, startTrace, type TraceEvent, traceToSvg, tasklet } from '../../lib/index';
import { S } from '../../lib/core/loop';

async function pingPong(n: number): Promise<{ ping: number; pong: number }> {
  const ch = new Channel<number>({ name: 'ball' });
  const ping = tasklet(
    async () => {
      for (let i = 0; i < n; i++) await ch.send(i);
    },
    { name: 'ping' },
  )();
  const pong = tasklet(
    async () => {
      for (let i = 0; i < n; i++) await ch.receive();
    },
    { name: 'pong' },
  )();
  await run();
  return { ping: ping.id, pong: pong.id };
}

test('a ping-pong: a named track per tasklet, non-overlapping slices, an arrow from each send to its receiver', async () => {
  const trace = startTrace();
  const { ping, pong } = await pingPong(3);
  trace.stop();
  expect(trace.recording).toBe(false);
  expect(S.watcher).toBeNull();
  const { traceEvents: events } = trace.toJSON();
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args!.name]);
  expect(names).toEqual(
    expect.arrayContaining([
      [ping, `tasklet "ping" (#${ping})`],
      [pong, `tasklet "pong" (#${pong})`],
    ]),
  );

  const slices = events.filter((e) => e.ph === 'X').sort((a, b) => a.ts - b.ts);
  expect(slices.filter((e) => e.tid === ping).length).toBeGreaterThanOrEqual(3);
  expect(slices.filter((e) => e.tid === pong).length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < slices.length; i++) expect(slices[i].ts).toBeGreaterThanOrEqual(slices[i - 1].ts + slices[i - 1].dur! - 0.001);
  expect(slices.find((e) => e.tid === pong && e.name === 'start')!.args).toEqual({ parked: 'channel "ball"' });
  // ping's first send parks; pong's receives take from it or are completed by ping's sends.
  expect(slices.filter((e) => e.tid === ping && e.name === 'sent').length + slices.filter((e) => e.tid === pong && e.name === 'received').length).toBe(3);

  // Every hand-off (3 on a rendezvous): an arrow from the slice that completed a parked
  // partner to the slice where that partner resumes, on the other track.
  const starts = events.filter((e) => e.ph === 's');
  const ends = events.filter((e) => e.ph === 'f');
  expect(starts).toHaveLength(3);
  expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
  for (const s of starts) {
    const f = ends.find((e) => e.id === s.id)!;
    expect(s.args).toEqual({ channel: 'ball' });
    expect([s.tid, f.tid].sort()).toEqual([ping, pong].sort());
    expect(f.ts).toBeGreaterThanOrEqual(s.ts);
    const landing = slices.find((e: TraceEvent) => e.tid === f.tid && e.ts === f.ts)!;
    expect(landing.name).toBe(f.tid === ping ? 'sent' : 'received');
  }
  expect(JSON.parse(JSON.stringify(trace.toJSON()))).toEqual(trace.toJSON());
});

test('toDot: parties, channels, and send/receive counts', async () => {
  const trace = startTrace();
  const { ping, pong } = await pingPong(3);
  const dot = trace.stop().toDot();
  expect(dot).toMatch(/^digraph tasklets \{/);
  expect(dot).toContain(`p${ping} [label="tasklet \\"ping\\" (#${ping})"];`);
  expect(dot).toContain('c1 [shape=ellipse, label="ball"];');
  expect(dot).toContain(`p${ping} -> c1 [label="3 sends"];`);
  expect(dot).toContain(`c1 -> p${pong} [label="3 receives"];`);
});

test('limit: later events are counted as dropped; stop() is idempotent; a bad limit is a RangeError', async () => {
  const trace = startTrace({ limit: 5 });
  await pingPong(5);
  trace.stop().stop();
  const json = trace.toJSON();
  expect(json.traceEvents).toHaveLength(5);
  expect(json.otherData.dropped).toBeGreaterThan(10);
  expect(() => startTrace({ limit: -1 })).toThrow(/option "limit" must be a non-negative integer, received -1/);
  expect(S.watcher).toBeNull();
});

test('traceToSvg: a lane per track, a bar per slice, an arrow per hand-off', async () => {
  const trace = startTrace();
  await pingPong(4);
  const json = trace.stop().toJSON();
  const svg = traceToSvg(json);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('tasklet &quot;ping&quot;');
  expect(svg.match(/<rect x=/g)).toHaveLength(json.traceEvents.filter((e) => e.ph === 'X').length);
  expect(svg.match(/marker-end=/g)).toHaveLength(4);
});

test('hackysack: --trace FILE is parsed; a traced game has a track per player', async () => {
  expect(parseArgs(['--trace', 'out.json', '--players', '3'])).toEqual({ players: 3, turns: 1000, verbose: false, trace: 'out.json' });
  expect(parseArgs(['--trace=x.json'])).toMatchObject({ trace: 'x.json' });
  expect(parseArgs(['--trace'])).toBe('--trace needs a file name');
  const trace = startTrace();
  const r = await runit(5, 20, { seed: 3 });
  const json = trace.stop().toJSON();
  expect(r.kicks).toBe(20);
  const tracks = new Set(json.traceEvents.filter((e) => e.ph === 'X' && e.tid !== 0).map((e) => e.tid));
  expect(tracks.size).toBe(6);
  // 20 kicks and the 5 exits are hand-offs to parked players (the first kick comes from plain code).
  expect(json.traceEvents.filter((e) => e.ph === 'f').length).toBeGreaterThanOrEqual(20);
});

test('slice names tell a step back after a hand-off ("handed off") from schedule() ("schedule")', async () => {
  const ch = new Channel<number>({ name: 'box' });
  const trace = startTrace();
  const receiver = tasklet(async () => ch.receive(), { name: 'receiver' })();
  const sender = tasklet(
    async () => {
      await ch.send(1); // the receiver is parked: it runs first, the sender steps back
      await schedule();
    },
    { name: 'sender' },
  )();
  await run();
  trace.stop();
  const names = trace
    .toJSON()
    .traceEvents.filter((e) => e.ph === 'X' && e.tid === sender.id)
    .sort((a, b) => a.ts - b.ts)
    .map((e) => e.name);
  expect(names).toEqual(['start', 'handed off', 'schedule']);
  expect(await receiver.join()).toBe(1);
});
