/**
 * Bug: plain code that completes a hand-off without parking (receive/tryReceive from a
 * parked sender, trySend to a parked receiver) while the loop is idle is afterwards
 * taken for the woken tasklet: getCurrent() returns that tasklet in plain code and
 * run() throws "called from inside tasklet".
 * SPEC: getCurrent() is undefined in plain code; run() is for plain code.
 */
import { Channel, getCurrent, run, tasklet } from '../../lib/index';
import { idle } from '../helpers';

test('plain code receiving from a parked sender stays plain code', async () => {
  const ch = new Channel<number>();
  const sender = tasklet(async () => ch.send(1), { name: 'sender' })();
  await idle(); // the sender parks
  expect(await ch.receive()).toBe(1);
  expect(getCurrent()).toBeUndefined(); // fails: tasklet "sender" (#1)
  await run(); // fails: TypeError run(): called from inside tasklet "sender"
  await sender.join();
});

test('plain code that trySends to a parked receiver stays plain code', async () => {
  const ch = new Channel<number>();
  const receiver = tasklet(async () => ch.receive(), { name: 'receiver' })();
  await idle();
  expect(ch.trySend(1)).toBe(true);
  await Promise.resolve();
  expect(getCurrent()).toBeUndefined();
  await run();
  expect(await receiver.join()).toBe(1);
});

test('run() after plain code took a value from a buffered channel with a parked sender', async () => {
  const ch = new Channel<number>({ capacity: 1 });
  ch.trySend(0);
  const sender = tasklet(async () => ch.send(1), { name: 'sender' })();
  await idle();
  expect(await ch.receive()).toBe(0);
  await expect(run()).resolves.toBeUndefined();
  await sender.join();
  expect(ch.tryReceive()).toEqual({ ok: true, value: 1 });
});

test('plain code sending with preference 0 to a parked receiver stays plain code', async () => {
  const ch = new Channel<string>({ preference: 0 });
  const receiver = tasklet(async () => [await ch.receive(), await ch.receive()], { name: 'receiver' })();
  await idle();
  await ch.send('x');
  expect(getCurrent()).toBeUndefined(); // fails: tasklet "receiver"
  await ch.send('y');
  expect(await receiver.join()).toEqual(['x', 'y']);
  await run(); // fails: TypeError run(): called from inside tasklet "receiver"
});

test('plain code parking after such a hand-off is not recorded as the tasklet parking', async () => {
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const s = tasklet(async () => a.send(1), { name: 'S' })();
  await idle();
  expect(await a.receive()).toBe(1); // plain code takes from the parked S
  const pb = b.receive(); // plain code parks on b
  expect(s.blocked).toBe(false); // fails: true — the plain waiter was filed under S
  await s.join();
  await b.send(2);
  expect(await pb).toBe(2);
});
