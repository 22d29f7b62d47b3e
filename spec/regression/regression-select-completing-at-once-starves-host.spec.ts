/**
 * Regression: a select that completed at once never counted toward the loop's batch
 * (loop.ts invariant 5), so a tasklet looping on always-ready selects never ended its
 * slice and no timer or I/O callback ran again — the process had to be killed:
 *
 *   const buf = new Channel({ capacity: 1 });
 *   tasklet(async () => { for (;;) await select({ r: buf.receiveCase(), s: buf.sendCase(1) }); })();
 *   setTimeout(() => console.log('never printed'), 0);
 *
 * A producer selecting between an unbounded output and a quit channel starved its
 * consumer the same way, and plain code feeding `sendSequence` into a buffer starved the
 * host. Each loop here is bounded, so the old code fails instead of hanging: the timer
 * (or the consumer) must get its turn long before the bound.
 */
import { Channel, select, tasklet, trySelect } from '../../lib/index';
import { BATCH } from '../../lib/core/loop';

const BOUND = 100 * BATCH;

test('a timer runs while a tasklet loops on a select that is always ready (and stops it)', async () => {
  const buf = new Channel<number>({ capacity: 1 });
  let rounds = 0;
  let stop = false;
  setTimeout(() => (stop = true), 0);
  const looper = tasklet(async () => {
    while (!stop && rounds < BOUND) {
      await select({ r: buf.receiveCase(), s: buf.sendCase(1) });
      rounds++;
    }
  })();
  await looper.join();
  expect(stop).toBe(true);
  expect(rounds).toBeLessThan(BOUND);
});

test('a producer selecting between an unbounded output and a quit channel lets its consumer run', async () => {
  const out = new Channel<number>({ capacity: Infinity });
  const quit = new Channel<void>();
  let produced = 0;
  const producer = tasklet(async () => {
    for (; produced < BOUND; produced++) {
      const r = await select({ out: out.sendCase(produced), quit: quit.receiveCase() });
      if (r.key === 'quit') return 'quit';
    }
    return 'bound reached';
  })();
  const consumer = tasklet(async () => {
    for (let i = 0; i < 10; i++) expect(await out.receive()).toBe(i);
    await quit.send();
  })();
  expect(await producer.join()).toBe('quit');
  await consumer.join();
  expect(produced).toBeLessThan(BOUND);
  while (out.tryReceive().ok);
});

test('a timer runs while plain code sends an endless sequence into an unbounded buffer', async () => {
  const out = new Channel<number>({ capacity: Infinity });
  let firedAt = -1;
  function* numbers(): Generator<number> {
    for (let i = 0; i < BOUND; i++) yield i;
  }
  setTimeout(() => (firedAt = out.length), 0);
  const sending = out.sendSequence(numbers());
  expect(await sending).toBe(BOUND);
  expect(firedAt).toBeGreaterThanOrEqual(0);
  expect(firedAt).toBeLessThan(BOUND);
  while (out.tryReceive().ok);
});

test('trySelect counts toward the batch: a loop of trySelect and ready selects lets a timer run', async () => {
  const buf = new Channel<number>({ capacity: 1 });
  const other = new Channel<number>({ capacity: 1 });
  let rounds = 0;
  let stop = false;
  setTimeout(() => (stop = true), 0);
  await tasklet(async () => {
    while (!stop && rounds < BOUND) {
      trySelect({ r: buf.receiveCase(), s: buf.sendCase(1) });
      await select({ r: other.receiveCase(), s: other.sendCase(1) });
      rounds++;
    }
  })().join();
  expect(stop).toBe(true);
  expect(rounds).toBeLessThan(BOUND);
});
