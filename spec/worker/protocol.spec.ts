/**
 * The owner's side of a shared channel (lib/worker/share.ts), driven by hand through the
 * port another thread would hold: every step of the protocol is deterministic here, so
 * the races a real thread would make rare (a value in flight when its thread ends, a
 * cancel that loses to a partner) are made to happen.
 */
import { Channel, ChannelClosedError, run, tasklet } from '../../lib/index';
import { attach } from '../../lib/worker/remote';
import { share } from '../../lib/worker/share';
import { closeRemoteEnds, remoteEnd } from './helpers';

afterEach(closeRemoteEnds);

const portClosed = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test("a remote receive takes the oldest parked sender's value, which then completes; the reply carries the value", async () => {
  const ch = new Channel<string>({ name: 'jobs' });
  const remote = remoteEnd(share(ch).port);
  const sent = ch.send('a');
  const sentToo = ch.send('b');
  remote.post({ t: 'r', id: 1 });
  expect(await remote.next()).toEqual({ t: 'v', id: 1, v: 'a' });
  await sent; // the rendezvous completed: the owner's receive took it
  remote.post({ t: 'a', id: 1 });
  remote.post({ t: 'r', id: 2 });
  expect(await remote.next()).toEqual({ t: 'v', id: 2, v: 'b' });
  await sentToo;
  remote.close();
  await portClosed();
  // 'b' was never acknowledged: it went back, and is the next value received.
  expect(ch.balance).toBe(1);
  expect(await ch.receive()).toBe('b');
});

test('a value in flight when the remote thread ends goes back to the front: received next, before values sent later', async () => {
  const ch = new Channel<number>({ name: 'jobs' });
  const remote = remoteEnd(share(ch).port);
  remote.post({ t: 'r', id: 1 });
  await new Promise((resolve) => setTimeout(resolve, 10)); // the remote receive is parked at the owner
  expect(ch.balance).toBe(-1);
  await ch.send(1); // taken by the remote's receive
  expect(await remote.next()).toEqual({ t: 'v', id: 1, v: 1 });
  const later = tasklet(async () => ch.send(2), { name: 'later' })();
  await new Promise((resolve) => setImmediate(resolve));
  remote.close(); // ended before acknowledging 1
  await portClosed();
  expect(ch.balance).toBe(2);
  const got = [await ch.receive(), await ch.receive()];
  expect(got).toEqual([1, 2]);
  await run();
  expect(later.alive).toBe(false);
});

test('a remote send completes when a receiver takes the value, not before; a cancel while parked aborts it and nothing was sent', async () => {
  const ch = new Channel<number>({ name: 'results' });
  const remote = remoteEnd(share(ch).port);
  remote.post({ t: 's', id: 1, v: 7 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(ch.balance).toBe(1); // parked at the owner, as a sender
  expect(await ch.receive()).toBe(7);
  expect(await remote.next()).toEqual({ t: 'ok', id: 1 });
  remote.post({ t: 's', id: 2, v: 8 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  remote.post({ t: 'c', id: 2 });
  expect(await remote.next()).toEqual({ t: 'aborted', id: 2 });
  expect(ch.balance).toBe(0);
  remote.close();
  await portClosed();
});

test('a cancel that loses the race to a partner: the operation completed and the reply says so', async () => {
  const ch = new Channel<number>({ name: 'jobs' });
  const remote = remoteEnd(share(ch).port);
  remote.post({ t: 'r', id: 1 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await ch.send(5); // completes the remote receive at the owner
  remote.post({ t: 'c', id: 1 }); // too late
  expect(await remote.next()).toEqual({ t: 'v', id: 1, v: 5 });
  remote.post({ t: 'a', id: 1 });
  remote.close();
  await portClosed();
  expect(ch.balance).toBe(0); // acknowledged: not given back
});

test('remote close: the owner closes the channel; a remote send on it then fails as closed, end-of-channel for receives', async () => {
  const ch = new Channel<number>({ name: 'jobs', capacity: 2 });
  const remote = remoteEnd(share(ch).port);
  ch.trySend(1);
  remote.post({ t: 'close', id: 1 });
  expect(await remote.next()).toEqual({ t: 'ok', id: 1 });
  expect(ch.closing).toBe(true);
  remote.post({ t: 's', id: 2, v: 9 });
  const r = await remote.next();
  expect(r).toMatchObject({ t: 'err', id: 2, name: 'ChannelClosedError', closed: true });
  remote.post({ t: 'r', id: 3 });
  expect(await remote.next()).toEqual({ t: 'v', id: 3, v: 1 }); // what was sent before the close
  remote.post({ t: 'a', id: 3 });
  remote.post({ t: 'r', id: 4 });
  expect(await remote.next()).toEqual({ t: 'end', id: 4 });
  remote.close();
  await portClosed();
});

test('an error sent with sendThrow crosses as an error; the remote end rejects with its name and message', async () => {
  const ch = new Channel<number>({ name: 'jobs' });
  const shared = share(ch);
  const end = attach<number>(shared);
  const p = end.receive();
  await new Promise((resolve) => setTimeout(resolve, 10));
  await ch.sendThrow(new RangeError('out of range'));
  const e = await p.catch((x: unknown) => x);
  // A structured clone: an error of Node's realm (Jest's sandbox has its own `Error`).
  expect(Object.prototype.toString.call(e)).toBe('[object Error]');
  expect((e as Error).name).toBe('RangeError');
  expect((e as Error).message).toBe('out of range');
  shared.port.close();
});

test("attach(): a remote end in this thread sends, receives, iterates and closes with the channel's guarantees", async () => {
  const ch = new Channel<number>({ name: 'jobs' });
  const end = attach<number>(share(ch));
  const sent = end.send(1);
  expect(await ch.receive()).toBe(1);
  await sent;
  const consumer = (async () => {
    const got: number[] = [];
    for await (const v of end) got.push(v);
    return got;
  })();
  for (let i = 2; i <= 4; i++) await ch.send(i);
  ch.close();
  expect(await consumer).toEqual([2, 3, 4]);
  const e = await end.send(5).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelClosedError);
  expect((e as ChannelClosedError).value).toBe(5);
  expect(String(end)).toBe('RemoteChannel "jobs"');
});

test('a value that cannot be copied to another thread: the send rejects with a TypeError naming its type, and nothing was sent', async () => {
  const ch = new Channel<unknown>({ name: 'jobs' });
  const end = attach<unknown>(share(ch));
  const e = await end.send(() => 1).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TypeError);
  expect((e as Error).message).toMatch(/^send\(\): a value of type function cannot be copied to another thread/);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(ch.balance).toBe(0);
});

test("when the owner's end is gone, pending and later operations reject with ChannelGoneError, a send's value handed back", async () => {
  const { ChannelGoneError } = await import('../../lib/worker/errors');
  const ch = new Channel<number>({ name: 'jobs' });
  const shared = share(ch);
  const end = attach<number>(shared);
  const pending = end.receive();
  await new Promise((resolve) => setTimeout(resolve, 10));
  // Close the owner's side: the channel's port1 is internal, so end the remote's by closing it from the owner's thread.
  shared.port.close();
  const e = await pending.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ChannelGoneError);
  const later = await end.send(3).catch((x: unknown) => x);
  expect(later).toBeInstanceOf(ChannelGoneError);
  expect((later as InstanceType<typeof ChannelGoneError>).value).toBe(3);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(ch.balance).toBe(0); // the owner aborted the parked receive when the port closed
});

test('an idle shared channel and its remote end hold no thread: the process exits by itself once nothing is pending', async () => {
  const { runFixture } = await import('../helpers');
  await expect(runFixture<{ got: number }>('worker-idle-exit')).resolves.toEqual({ got: 1 });
});
