/**
 * Behaviours that mutation testing of lib/core/loop.ts found unpinned (2026-12-04): each test
 * fails with the mutant named in its title put in by hand, and passes without it.
 */
import { Channel, DeadlockError, run, select, setScheduleCallback, tasklet, timeoutSignal } from '../../lib/index';

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
  const t = tasklet(
    async () => {
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
      await select({ x: a.receiveCase() });
    },
    { name: 'chooser' },
  )();
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

test('a join() interrupted by throw(), caught, then parked on a channel is not woken again when the joined tasklet ends (WaitQueue._unlink)', async () => {
  const gate = new Channel<string>({ name: 'gate' });
  const ch = new Channel<string>({ name: 'after' });
  const slow = tasklet(async () => gate.receive(), { name: 'slow' })();
  const got: string[] = [];
  const joiner = tasklet(
    async () => {
      try {
        await slow.join();
        got.push('joined');
      } catch (e) {
        got.push(`caught ${(e as Error).message}`);
      }
      got.push(`received ${await ch.receive()}`);
    },
    { name: 'joiner' },
  )();
  await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve)); // both parked: slow on gate, joiner in join()
  void joiner.throw(new Error('stop'));
  await new Promise<void>((resolve) => setImmediate(resolve)); // joiner caught it and parked on ch
  expect(ch.balance).toBe(-1);
  // Stuck now: the report has the joiner on ch only, no longer waiting for slow.
  const stuck = (await run().catch((e: unknown) => e)) as DeadlockError;
  expect(stuck).toBeInstanceOf(DeadlockError);
  expect(stuck.report!.edges.filter((e) => e.from === joiner.id).map((e) => e.via)).toEqual([]);
  expect(stuck.message).toContain('tasklet "joiner" (#' + joiner.id + ') receives on channel "after"');
  expect(stuck.message).not.toContain('joins');
  const resumed: string[] = [];
  setScheduleCallback((_prev, next) => void resumed.push(next?.name ?? 'plain code'));
  try {
    await gate.send('open'); // slow ends: its joiners are woken; the joiner left them when it was thrown into
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    setScheduleCallback(null);
  }
  expect(resumed).not.toContain('joiner'); // not resumed by slow's end
  expect(ch.balance).toBe(-1); // still parked on ch
  expect(got).toEqual(['caught stop']);
  await ch.send('value');
  await run();
  expect(got).toEqual(['caught stop', 'received value']);
  expect(joiner.alive || slow.alive).toBe(false);
});
