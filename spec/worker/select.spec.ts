/**
 * Select cases on remote channels (lib/worker/select.ts), with the remote end attached in this
 * thread so that every step is deterministic: which case wins, what the losers leave behind.
 */
import { Channel, ChannelClosedError, DeadlockError, run, select, tasklet, trySelect } from '../../lib/index';
import { ChannelGoneError } from '../../lib/worker/errors';
import { attach } from '../../lib/worker/remote';
import { share } from '../../lib/worker/share';

const settle = (ms = 10): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a remote receive case wins when its channel gets a value; a local case winning leaves the remote channel as it was', async () => {
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const rb = attach<number>(share(b));
  const p = select({ a: a.receiveCase(), b: rb.receiveCase() });
  await settle();
  expect(b.balance).toBe(-1); // the remote case waits at the owner, as a receiver
  await b.send(5);
  expect(await p).toEqual({ key: 'b', value: 5, done: false });
  const p2 = select({ a: a.receiveCase(), b: rb.receiveCase() });
  await settle();
  await a.send(6);
  expect(await p2).toEqual({ key: 'a', value: 6, done: false });
  await settle();
  expect(b.balance).toBe(0); // cancelled at the owner
});

test('a value offered to a select that another case won goes back to the front of its channel, received next', async () => {
  const a = new Channel<number>({ name: 'a', capacity: 1 });
  const b = new Channel<number>({ name: 'b', capacity: 3 });
  const rb = attach<number>(share(b));
  const p = select({ a: a.receiveCase(), b: rb.receiveCase() });
  a.trySend(1); // the local case wins at once, in this thread ...
  b.trySend(2); // ... while the owner, which has not heard the cancel yet, offers 2
  b.trySend(3);
  expect(await p).toEqual({ key: 'a', value: 1, done: false });
  await settle();
  expect([b.tryReceive(), b.tryReceive()]).toEqual([
    { ok: true, value: 2 },
    { ok: true, value: 3 },
  ]);
});

test('a remote send case is sent only when the select completes it: a local case winning sends nothing', async () => {
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const rb = attach<number>(share(b));
  const p = select({ a: a.receiveCase(), b: rb.sendCase(7) });
  await settle();
  expect(b.balance).toBe(0); // not parked as a sender: it waits for room, and for the select's word
  expect(await b.receive()).toBe(7);
  expect(await p).toEqual({ key: 'b', value: undefined, done: false });
  const p2 = select({ a: a.receiveCase(), b: rb.sendCase(8) });
  await settle();
  await a.send(1);
  expect(await p2).toEqual({ key: 'a', value: 1, done: false });
  await settle();
  expect(b.tryReceive()).toEqual({ ok: false, closed: false });
});

test('a remote send case on a buffered channel with room completes; on a full one it waits for room', async () => {
  const b = new Channel<number>({ name: 'b', capacity: 1 });
  const rb = attach<number>(share(b));
  expect(await select({ b: rb.sendCase(1) })).toEqual({ key: 'b', value: undefined, done: false });
  const p = select({ b: rb.sendCase(2) });
  await settle();
  expect(b.length).toBe(1);
  expect(b.tryReceive()).toEqual({ ok: true, value: 1 }); // room: the owner tells the select, which says go
  expect(await p).toEqual({ key: 'b', value: undefined, done: false });
  expect(b.tryReceive()).toEqual({ ok: true, value: 2 });
});

test('end-of-channel wins a remote receive case with done: true; a remote send case on a closing channel rejects with ChannelClosedError carrying the value', async () => {
  const b = new Channel<number>({ name: 'b' });
  const rb = attach<number>(share(b));
  const p = select({ b: rb.receiveCase(), never: new Channel<number>().receiveCase() });
  await settle();
  b.close();
  expect(await p).toEqual({ key: 'b', value: undefined, done: true });
  const e = await select({ s: rb.sendCase(4) }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelClosedError);
  expect((e as ChannelClosedError).value).toBe(4);
});

test('a remote send case waiting for room on a channel that plain code then closes rejects with ChannelClosedError (the close runs no operation the owner could see: a slow look finds it)', async () => {
  const b = new Channel<number>({ name: 'b', capacity: 1 });
  b.trySend(0);
  const rb = attach<number>(share(b));
  const p = select({ s: rb.sendCase(1) });
  await settle(20);
  b.close();
  await expect(p).rejects.toBeInstanceOf(ChannelClosedError);
  expect(b.tryReceive()).toEqual({ ok: true, value: 0 });
});

test('aborted while waiting, a select with remote cases rejects with the reason and leaves every channel as it was', async () => {
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const rb = attach<number>(share(b));
  const ac = new AbortController();
  const p = select({ a: a.sendCase(1), r: rb.receiveCase(), s: rb.sendCase(2) }, { signal: ac.signal });
  await settle();
  ac.abort(new Error('stop'));
  await expect(p).rejects.toThrow('stop');
  await settle();
  expect([a.balance, b.balance, b.length]).toEqual([0, 0, 0]);
});

test('a remote send case whose value cannot be copied rejects with a TypeError naming its type; nothing was sent', async () => {
  const b = new Channel<unknown>({ name: 'b' });
  const rb = attach<unknown>(share(b));
  const e = await select({ s: rb.sendCase(() => 1) }).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TypeError);
  expect((e as Error).message).toMatch(/^select\(\): a value of type function cannot be copied to another thread/);
  await settle();
  expect(b.balance).toBe(0);
});

test('the owner gone while a select waits on its channel: the select rejects with ChannelGoneError', async () => {
  const b = new Channel<number>({ name: 'b' });
  const shared = share(b);
  const rb = attach<number>(shared);
  const p = select({ r: rb.receiveCase(), never: new Channel<number>().receiveCase() });
  await settle();
  shared.port.close();
  await expect(p).rejects.toBeInstanceOf(ChannelGoneError);
});

test('trySelect refuses a remote case: it cannot be answered without waiting', () => {
  const rb = attach<number>(share(new Channel<number>()));
  expect(() => trySelect({ r: rb.receiveCase() })).toThrow(/^trySelect\(\): a case on a channel of another thread/);
});

test("a deadlock report names a parked select's remote cases", async () => {
  const a = new Channel<number>({ name: 'a' });
  const rb = attach<number>(share(new Channel<number>({ name: 'b' })));
  const t = tasklet(async () => select({ a: a.receiveCase(), b: rb.receiveCase() }), { name: 'selector' })();
  const e = await run().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(DeadlockError);
  expect((e as Error).message).toContain(
    `tasklet "selector" (#${t.id}) selects: receives on channel "a", receives on channel "other threads' channels (case b receives on channel b of thread 0)"`,
  );
  await t.kill();
});

test('with remote cases possible, select() still refuses what is not a case with its TypeError, a Proxy whose traps throw included', () => {
  attach<number>(share(new Channel<number>())).receiveCase(); // installs the select of remote cases
  const hostile = new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('trap');
      },
    },
  );
  expect(() => select({ x: hostile as never })).toThrow(/^select\(\): case "x" must come from channel.receiveCase\(\) or channel.sendCase\(value\)/);
});
