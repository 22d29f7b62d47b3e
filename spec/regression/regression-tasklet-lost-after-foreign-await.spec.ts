/**
 * Bug: once a tasklet has awaited something the library does not own (a timer, I/O,
 * a foreign promise), the library takes its later operations for plain code:
 *  - getCurrent() is undefined inside the tasklet, even after it awaited schedule()
 *    or a channel operation (SPEC: "inside a tasklet's code, that tasklet");
 *  - when it then parks on a channel, blocked stays false, run() never settles
 *    (SPEC: DeadlockError when tasklets are parked and nothing is runnable), the
 *    deadlock report calls it "plain code", and kill() hangs instead of unparking it
 *    (SPEC: kill() unparks the tasklet and resolves once it has unwound).
 */
import { Channel, DeadlockError, getCurrent, run, schedule, tasklet } from '../../lib/index';
import { idle } from '../helpers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** 'pending' if `p` has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([
    p.then(
      (v) => ({ value: v }),
      (error) => ({ error }),
    ),
    sleep(ms).then(() => 'pending' as const),
  ]);

test('getCurrent() inside a tasklet after a timer and a library operation', async () => {
  const seen: boolean[] = [];
  const t = tasklet(async () => {
    await sleep(1);
    await schedule();
    seen.push(getCurrent() === t);
  })();
  await t.join();
  expect(seen).toEqual([true]); // fails: [false]
});

test('a tasklet parked after a timer: blocked, reported by run() as a deadlock, killable', async () => {
  const ch = new Channel<number>({ name: 'never' });
  const t = tasklet(
    async () => {
      await sleep(1);
      await ch.receive();
    },
    { name: 'sleeper' },
  )();
  await sleep(20);
  await idle();
  expect(ch.balance).toBe(-1);
  expect(t.blocked).toBe(true); // fails: false
  const r = await within(run(), 200); // fails: still pending
  expect(r).not.toBe('pending');
  expect((r as { error: unknown }).error).toBeInstanceOf(DeadlockError);
  expect(String((r as { error: Error }).error.message)).toMatch(/sleeper.*receives on channel "never"/);
  expect(await within(t.kill(), 200)).not.toBe('pending'); // fails: kill() never resolves
  expect(ch.balance).toBe(0);
});
