/**
 * Regression: a signal-like object without `removeEventListener` was accepted, and the
 * next send threw `TypeError: w.signal.removeEventListener is not a function` from
 * inside the hand-off — after the receiver had been taken off the queue and before it
 * was given the value: the receive never settled and the value was gone:
 *
 *   ch.receive({ signal: { aborted: false, addEventListener() {} } });
 *   await ch.send('y'); // threw; 'y' lost
 *
 * With a `removeEventListener` that throws, `trySend` threw the same way. Now the whole
 * shape is checked up front, and the call into the signal that ends an operation can
 * no longer throw out of the hand-off: its error is reported afterwards (a pending
 * `run()` rejects with it). An `addEventListener` that throws fails the operation
 * before it joins any queue.
 */
import { Channel, run, select, tasklet } from '../../lib/index';
import { idle } from '../helpers';

class Boom extends Error {}

function throwingRemove(): AbortSignal & { added: number } {
  const s = {
    aborted: false,
    added: 0,
    addEventListener() {
      s.added++;
    },
    removeEventListener() {
      throw new Boom('removeEventListener failed');
    },
  };
  return s as unknown as AbortSignal & { added: number };
}

/**
 * A pending `run()` (kept pending by a tasklet parked on a gate), which the reported
 * error rejects; `done()` lets the gate's tasklet finish.
 */
function pendingRun(): { running: Promise<void>; done: () => Promise<void> } {
  const gate = new Channel<void>({ name: 'gate' });
  const holder = tasklet(async () => gate.receive())();
  const running = run();
  running.catch(() => {}); // observed at once: the spec awaits it later
  return {
    running,
    done: async () => {
      await gate.send();
      await holder.join();
    },
  };
}

test('a signal without removeEventListener is refused up front; nothing parks', () => {
  const ch = new Channel<string>({ name: 'c' });
  const signal = { aborted: false, addEventListener() {} } as unknown as AbortSignal;
  expect(() => ch.receive({ signal })).toThrow(TypeError);
  expect(() => ch.receive({ signal })).toThrow('receive(): option "signal" must be an AbortSignal, received an object');
  expect(() => ch.send('x', { signal })).toThrow(/send\(\): option "signal" must be an AbortSignal/);
  expect(() => select({ r: ch.receiveCase() }, { signal })).toThrow(TypeError);
  expect(ch.balance).toBe(0);
});

test('a removeEventListener that throws: send delivers to the receiver anyway, and the error is reported', async () => {
  const ch = new Channel<string>({ name: 'c' });
  const signal = throwingRemove();
  const received = tasklet(async () => ch.receive({ signal }))();
  await idle();
  expect(signal.added).toBe(1);
  const { running, done } = pendingRun();
  const sender = tasklet(async () => ch.send('y'))();
  expect(await received.join()).toBe('y');
  await sender.join();
  await expect(running).rejects.toBeInstanceOf(Boom);
  await done();
  expect(ch.balance).toBe(0);
});

test('a removeEventListener that throws: trySend hands the value over and returns true', async () => {
  const ch = new Channel<string>();
  const signal = throwingRemove();
  const receive = ch.receive({ signal });
  const { running, done } = pendingRun();
  expect(ch.trySend('precious')).toBe(true);
  expect(await receive).toBe('precious');
  await expect(running).rejects.toBeInstanceOf(Boom);
  await done();
  expect(ch.balance).toBe(0);
});

test('a removeEventListener that throws: a parked select still gets its value', async () => {
  const ch = new Channel<string>();
  const signal = throwingRemove();
  const p = select({ r: ch.receiveCase() }, { signal });
  const { running, done } = pendingRun();
  expect(ch.trySend('v')).toBe(true);
  expect(await p).toEqual({ key: 'r', value: 'v', done: false });
  await expect(running).rejects.toBeInstanceOf(Boom);
  await done();
});

test('a removeEventListener that throws: a parked sender is received', async () => {
  const ch = new Channel<string>();
  const signal = throwingRemove();
  const sent = ch.send('kept', { signal });
  const { running, done } = pendingRun();
  expect(ch.tryReceive()).toEqual({ ok: true, value: 'kept' });
  await expect(sent).resolves.toBeUndefined();
  await expect(running).rejects.toBeInstanceOf(Boom);
  await done();
});

test('an addEventListener that throws fails the operation before it parks: nothing is left in the queue', async () => {
  const ch = new Channel<string>();
  const signal = {
    aborted: false,
    addEventListener() {
      throw new Boom('addEventListener failed');
    },
    removeEventListener() {},
  } as unknown as AbortSignal;
  expect(() => ch.receive({ signal })).toThrow(Boom);
  expect(() => select({ r: ch.receiveCase(), s: ch.sendCase('s') }, { signal })).toThrow(Boom);
  expect(ch.balance).toBe(0);
  expect(ch.trySend('precious')).toBe(false); // no phantom receiver takes it
});
