/**
 * Observation (a judgement call, not a plain contradiction of SPEC.md): a tasklet that
 * never parks — here one sending into an unbounded buffer — never ends its slice, so
 * the loop's batch limit (loop.ts invariant 5) never applies and the host gets no turn
 * until it stops. SPEC promises timers still run while tasklets "ping-pong forever";
 * a tasklet that never hands off is not ping-pong, but in Go the same loop would not
 * starve timers either.
 */
import { Channel, tasklet } from '../../lib/index';

test('a timer fires while a tasklet sends 300,000 values into an unbounded channel', async () => {
  const ch = new Channel<number>({ capacity: Infinity });
  let sent = 0;
  let firedAt = -1;
  setTimeout(() => (firedAt = sent), 0);
  const producer = tasklet(async () => {
    for (let i = 0; i < 300_000; i++) {
      await ch.send(i);
      sent++;
    }
  })();
  await producer.join();
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(firedAt).toBeLessThan(300_000); // fails: the timer fires only after the last send
  while (ch.tryReceive().ok);
});
