/**
 * Behaviours that mutation testing of lib/core/loop.ts found unpinned (2026-12-04): each test
 * fails with the mutant named in its title put in by hand, and passes without it.
 */
import { Channel, DeadlockError, run, select, tasklet, timeoutSignal } from '../lib/index';

test('a receive that steps back after taking a parked sendThrow (preference 1) rejects with its error (yieldWith: failed)', async () => {
  const ch = new Channel<number>({ preference: 1 });
  const boom = new Error('boom');
  const sender = tasklet(async () => ch.sendThrow(boom))();
  let caught: unknown;
  const receiver = tasklet(async () => {
    await new Promise<void>((resolve) => setImmediate(resolve)); // the sender parks first
    try {
      await ch.receive();
    } catch (e) {
      caught = e;
    }
  })();
  await run();
  expect(caught).toBe(boom);
  expect(sender.alive || receiver.alive).toBe(false);
});

test('a tasklet back from a foreign await that parks in select() is a deadlock, not a tasklet outside (waitsIn: cameBack)', async () => {
  const a = new Channel<number>({ name: 'a' });
  const t = tasklet(async () => {
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    await select({ x: a.receiveCase() });
  }, { name: 'chooser' })();
  const error = await run().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeadlockError);
  expect((error as Error).message).toContain('chooser');
  await t.kill();
});

test('a timeoutSignal whose operation completed first: when its timer fires, a deadlock left behind is reported (countTimer: wake)', async () => {
  const ch = new Channel<number>({ capacity: 1 });
  const t = tasklet(async () => {
    await ch.send(1, { signal: timeoutSignal(20) }); // completes at once; the deadline stays armed
    await new Channel<number>({ name: 'never' }).receive();
  })();
  const error = await run().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeadlockError);
  expect((error as Error).message).toContain('never');
  await t.kill();
});
