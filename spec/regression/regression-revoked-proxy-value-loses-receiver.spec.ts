/**
 * Regression: the channel asked `value instanceof Thrown` of every value to tell a
 * `sendThrow` error from a value. `instanceof` calls the value's `[[GetPrototypeOf]]`,
 * which throws for a revoked Proxy — after the value or the parked receiver had already
 * been taken off the channel. `trySend` of such a value to a parked receiver threw and
 * left the receiver blocked for ever; `tryReceive` of such a buffered value threw and
 * the value was gone. Found by the hostile-values stress spec (spec/stress/faults.spec.ts).
 */
import { Channel, run, select, tasklet } from '../../lib/index';
import { CAPACITIES, idle } from '../helpers';

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

test('trySend of a revoked Proxy to a parked receiver hands it over (a select result carries it unwrapped)', async () => {
  const ch = new Channel<object>({ name: 'proxies' });
  const v = revoked();
  const receiver = tasklet(async () => select({ got: ch.receiveCase() }))();
  await idle();
  expect(ch.trySend(v)).toBe(true);
  const r = await receiver.join();
  expect(r.key).toBe('got');
  expect(Object.is(r.value, v)).toBe(true);
  expect(ch.balance).toBe(0);
});

test.each(CAPACITIES.filter((c) => c > 0))('capacity %p: a buffered revoked Proxy is received by tryReceive, the very same value', async (capacity) => {
  const ch = new Channel<object>({ capacity });
  const v = revoked();
  expect(ch.trySend(v)).toBe(true);
  const r = ch.tryReceive();
  expect(r.ok).toBe(true);
  expect(Object.is(r.value, v)).toBe(true);
  expect(ch.length).toBe(0);
});

test('a parked sender of a revoked Proxy hands it to tryReceive and is released', async () => {
  const ch = new Channel<object>();
  const v = revoked();
  const sender = tasklet(async () => ch.send(v))();
  await idle();
  const r = ch.tryReceive();
  expect(Object.is(r.value, v)).toBe(true);
  await run();
  expect(sender.alive).toBe(false);
});
