/**
 * The deadlock report (lib/run/report.ts): the message names each parked party, its
 * operation and channel with the balance; `.report` is the same as JSON-able data;
 * the wait-for graph has join edges always and channel edges with the channel history.
 */
import { Channel, type DeadlockError, type DeadlockReport, run, setDebug, tasklet } from '../../lib/index';
import { killAll } from '../helpers';

async function deadlock(): Promise<DeadlockError> {
  const e = await run().then(
    () => {
      throw new Error('run() resolved; expected a DeadlockError');
    },
    (x: unknown) => x as DeadlockError,
  );
  expect(e.name).toBe('DeadlockError');
  return e;
}

/** Runs `fn` with debug options on, and turns them off again whatever happens. */
async function withDebug(options: { stacks?: boolean; channels?: boolean }, fn: () => Promise<void>): Promise<void> {
  setDebug(options);
  try {
    await fn();
  } finally {
    setDebug({ stacks: false, channels: false });
  }
}

test('a two-tasklet deadlock over two named channels names both tasklets, both channels and both operations', async () => {
  const x = new Channel<number>({ name: 'x' });
  const y = new Channel<number>({ name: 'y' });
  const a = tasklet(
    async () => {
      await x.send(1);
    },
    { name: 'a' },
  )();
  const b = tasklet(
    async () => {
      await y.receive();
    },
    { name: 'b' },
  )();
  const e = await deadlock();
  const lines = e.message.split('\n');
  expect(lines[0]).toBe('deadlock: 2 tasklets parked and nothing runnable');
  expect(lines[1]).toBe(`  tasklet "a" (#${a.id}) sends on channel "x" (balance 1)`);
  expect(lines[2]).toBe(`  tasklet "b" (#${b.id}) receives on channel "y" (balance -1)`);
  expect(lines).toHaveLength(3); // no history, no join: no cycle is claimed
  const r = e.report!;
  expect(r.parked.map((p) => [p.party.name, p.party.id, p.wait.op, p.wait.channel?.name, p.wait.channel?.balance])).toEqual([
    ['a', a.id, 'send', 'x', 1],
    ['b', b.id, 'receive', 'y', -1],
  ]);
  expect(r.edges).toEqual([]);
  expect(r.cycles).toEqual([]);
  expect(r.channelHistory).toBe(false);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  await killAll(a, b);
});

test('with the channel history, each wait lists its known partners and the crossed wait is a cycle', async () => {
  await withDebug({ channels: true }, async () => {
    const requests = new Channel<number>({ name: 'requests' });
    const replies = new Channel<number>({ name: 'replies' });
    // One round trip works; then the client waits for a second reply the server never sends,
    // and the server waits for a second request the client never sends.
    const client = tasklet(
      async () => {
        await requests.send(1);
        await replies.receive();
        await replies.receive();
      },
      { name: 'client' },
    )();
    const server = tasklet(
      async () => {
        await requests.receive();
        await replies.send(2);
        await requests.receive();
      },
      { name: 'server' },
    )();
    const e = await deadlock();
    const r = e.report!;
    expect(r.channelHistory).toBe(true);
    expect(r.parked.map((p) => [p.party.name, p.wait.op, p.wait.channel!.name, p.wait.partners!.map((q) => q.name)])).toEqual([
      ['client', 'receive', 'replies', ['server']],
      ['server', 'receive', 'requests', ['client']],
    ]);
    expect(r.edges).toEqual([
      { from: client.id, to: server.id, via: 'channel "replies"' },
      { from: server.id, to: client.id, via: 'channel "requests"' },
    ]);
    expect(r.cycles.map((c) => c.map((p) => p.name))).toEqual([['client', 'server', 'client']]);
    expect(e.message).toContain('    known senders: tasklet "server"');
    expect(e.message).toContain(`wait-for cycle: tasklet "client" (#${client.id}) → tasklet "server" (#${server.id}) → tasklet "client" (#${client.id})`);
    await killAll(client, server);
  });
});

test('a partner that has finished is listed as finished and draws no edge', async () => {
  await withDebug({ channels: true }, async () => {
    const ch = new Channel<number>({ name: 'once' });
    const producer = tasklet(async () => ch.send(1), { name: 'producer' })();
    const consumer = tasklet(
      async () => {
        await ch.receive();
        await ch.receive(); // the producer has gone
      },
      { name: 'consumer' },
    )();
    const e = await deadlock();
    expect(producer.alive).toBe(false);
    expect(e.report!.parked[0].wait.partners).toEqual([{ id: producer.id, name: 'producer', label: String(producer), finished: true }]);
    expect(e.report!.edges).toEqual([]);
    expect(e.message).toContain(`known senders: ${producer}, finished`);
    await consumer.kill();
  });
});

test('a channel nobody ever sent on says so', async () => {
  await withDebug({ channels: true }, async () => {
    const ch = new Channel<number>({ name: 'silent' });
    const t = tasklet(async () => ch.receive(), { name: 'listener' })();
    const e = await deadlock();
    expect(e.message).toContain('known senders: none ever');
    await t.kill();
  });
});

test('tasklets joining each other are a cycle even without the history', async () => {
  const refs: { a?: ReturnType<ReturnType<typeof tasklet>>; b?: ReturnType<ReturnType<typeof tasklet>> } = {};
  refs.a = tasklet(async () => refs.b!.join(), { name: 'a' })();
  refs.b = tasklet(async () => refs.a!.join(), { name: 'b' })();
  const e = await deadlock();
  const { a, b } = refs as Required<typeof refs>;
  expect(e.report!.parked.map((p) => [p.wait.op, p.wait.tasklet?.id])).toEqual([
    ['join', b.id],
    ['join', a.id],
  ]);
  expect(e.report!.cycles.map((c) => c.map((p) => p.id))).toEqual([[a.id, b.id, a.id]]);
  expect(e.message).toContain(`  ${a} waits for ${b}`);
  expect(e.message).toContain(`wait-for cycle: ${a} → ${b} → ${a}`);
  await killAll(a, b);
});

test('a buffered channel shows its buffer; plain code parked is reported as plain code', async () => {
  const full = new Channel<number>({ name: 'full', capacity: 2 });
  const empty = new Channel<number>({ name: 'empty' });
  const t = tasklet(
    async () => {
      for (let i = 0; i < 3; i++) await full.send(i);
    },
    { name: 'filler' },
  )();
  const abort = new AbortController();
  const plain = empty.receive({ signal: abort.signal }).catch((x: unknown) => x);
  const e = await deadlock();
  expect(e.message).toContain(`  ${t} sends on channel "full" (balance 1, buffer 2/2)`);
  expect(e.message).toContain('  plain code receives on channel "empty" (balance -1)');
  const last = e.report!.parked[e.report!.parked.length - 1];
  expect(last.party).toEqual({ id: null, name: 'plain code', label: 'plain code' });
  expect(e.report!.parked[0].wait.channel).toEqual({ name: 'full', balance: 1, length: 2, capacity: 2, closing: false });
  abort.abort(new Error('done'));
  await plain;
  await t.kill();
});

test('with setDebug({ stacks: true }) each wait says where it parked; without, nothing is captured', async () => {
  const ch = new Channel<number>({ name: 'deep' });
  async function waitHere(): Promise<number> {
    return ch.receive();
  }
  const before = tasklet(waitHere, { name: 'unstacked' })();
  let e = await deadlock();
  expect(e.report!.parked[0].wait.stack).toBeUndefined();
  await before.kill();

  await withDebug({ stacks: true }, async () => {
    const t = tasklet(waitHere, { name: 'stacked' })();
    e = await deadlock();
    const stack = e.report!.parked[0].wait.stack!;
    expect(stack).toMatch(/waitHere/);
    expect(stack).toMatch(/report\.spec\.ts/);
    expect(stack).not.toMatch(/[\\/]lib[\\/](base|host|core|channel|select|time|run|inspect)[\\/]/); // no frame of any room of lib/
    expect(e.message).toMatch(/receives on channel "deep".*\n\s+at waitHere/);
    await t.kill();
  });
});

test('setDebug checks its options and returns the previous ones', async () => {
  await withDebug({}, async () => {
    expect(setDebug({ stacks: true })).toEqual({ stacks: false, channels: false });
    expect(setDebug({ channels: true })).toEqual({ stacks: true, channels: false });
    expect(setDebug({})).toEqual({ stacks: true, channels: true });
    expect(() => setDebug({ stacks: 'yes' as unknown as boolean })).toThrow(/option "stacks" must be a boolean/);
    expect(() => setDebug({ colour: true } as never)).toThrow(TypeError);
  });
});

test('the report type is exported', () => {
  const r: DeadlockReport = { parked: [], edges: [], cycles: [], channelHistory: false };
  expect(r.parked).toEqual([]);
});

test('a parked select is reported with each of its cases', async () => {
  const { select } = await import('../../lib/index');
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const t = tasklet(async () => select({ fromA: a.receiveCase(), toB: b.sendCase(1) }), { name: 'chooser' })();
  const e = await deadlock();
  const wait = e.report!.parked[0].wait;
  expect(wait.op).toBe('select');
  expect(wait.cases).toEqual([
    { op: 'receive', channel: { name: 'a', balance: -1, length: 0, capacity: 0, closing: false } },
    { op: 'send', channel: { name: 'b', balance: 1, length: 0, capacity: 0, closing: false } },
  ]);
  expect(e.message).toContain(`  ${t} selects: receives on channel "a", sends on channel "b"`);
  await t.kill();
});
