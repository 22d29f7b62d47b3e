/**
 * Stress: volume, leaks and fairness. Short by default; `STRESS=1` multiplies the
 * counts (`STRESS=1 npm test`).
 *
 * Already elsewhere, not repeated here: 1,000,000 back-to-back hand-offs, a
 * 10,000-stage pipeline and a 10,000-tasklet join chain without stack growth
 * (spec/core/loop.spec.ts, "no stack growth"); a setTimeout(0) and a setImmediate firing
 * during an endless ping-pong, in a child process (spec/core/loop.spec.ts, "fairness");
 * an unjoined tasklet's error surfacing exactly once (spec/core/loop.spec.ts, "errors
 * nobody handles"); 100,000 selects with a losing timer and a flat heap
 * (spec/time/timers.spec.ts).
 */
import { Channel, run, schedule, type Tasklet, tasklet } from '../../lib/index';
import { loopStats } from '../../lib/inspect/invariants';
import { CAPACITIES, idle, leftovers } from '../helpers';

const STRESS = !!process.env.STRESS && process.env.STRESS !== '0';
/** Default count, or `long` under STRESS=1. */
const scale = (short: number, long: number): number => (STRESS ? long : short);
const TIMEOUT = STRESS ? 600_000 : 30_000;

const gc = (globalThis as { gc?: () => void }).gc;
/** The heap after a full collection, or 0 where `--expose-gc` is not given. */
function heap(): number {
  if (gc === undefined) return 0;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
/** Allowed growth between the warm-up and the end: far below what the leaked waiters would take. */
const FLAT = 2 * 1024 * 1024;

describe('no waiter left, heap flat', () => {
  test(
    `${scale(100_000, 1_000_000).toLocaleString('en')} receives aborted while parked, from a tasklet and from plain code`,
    async () => {
      const n = scale(100_000, 1_000_000);
      const ch = new Channel<number>({ name: 'quiet' });
      let aborted = 0;
      let warm = 0;
      const worker = tasklet(
        async () => {
          for (let i = 0; i < n / 2; i++) {
            const ac = new AbortController();
            const p = ch.receive({ signal: ac.signal });
            ac.abort(i);
            try {
              await p;
            } catch (e) {
              if (e === i) aborted++;
            }
            if (i === n / 10) warm = heap();
          }
        },
        { name: 'aborter' },
      )();
      await worker.join();
      for (let i = 0; i < n / 2; i++) {
        const ac = new AbortController();
        const p = ch.receive({ signal: ac.signal });
        if (i % 2 === 0) await Promise.resolve(); // half of them aborted a microtask later
        ac.abort(i);
        try {
          await p;
        } catch (e) {
          if (e === i) aborted++;
        }
      }
      expect(aborted).toBe(n);
      expect({ balance: ch.balance, ...leftovers() }).toEqual({ balance: 0, timers: 0, parkedPlain: 0 });
      if (gc !== undefined) expect(heap() - warm).toBeLessThan(FLAT);
      // The channel still works: nothing aborted left a receiver behind to steal this.
      expect(ch.trySend(1)).toBe(false);
      const r = tasklet(async () => ch.receive())();
      await idle();
      expect(ch.trySend(7)).toBe(true);
      expect(await r.join()).toBe(7);
    },
    TIMEOUT,
  );

  test(
    `${scale(100_000, 1_000_000).toLocaleString('en')} parked tasklets killed, senders and receivers`,
    async () => {
      const n = scale(100_000, 1_000_000);
      const BATCH = 5_000;
      const out = new Channel<number>({ name: 'out', capacity: 1 });
      const inbox = new Channel<number>({ name: 'in' });
      let unwound = 0;
      let warm = 0;
      for (let done = 0, round = 0; done < n; done += BATCH, round++) {
        // Alternate batches: senders parked on a full buffer, receivers parked on an empty channel.
        const senders = round % 2 === 0;
        const ts: Tasklet<unknown>[] = [];
        for (let i = 0; i < BATCH; i++) {
          ts.push(
            tasklet(async () => {
              try {
                if (senders) await out.send(i);
                else await inbox.receive();
              } finally {
                unwound++;
              }
            })(),
          );
        }
        await idle();
        expect(senders ? [out.balance, out.length] : [inbox.balance, inbox.length]).toEqual(senders ? [BATCH - 1, 1] : [-BATCH, 0]);
        for (let i = ts.length - 1; i >= 0; i--) void ts[i].kill(); // newest first: out of queue order
        await run();
        expect([out.balance, inbox.balance]).toEqual([0, 0]);
        if (senders) expect(out.tryReceive()).toEqual({ ok: true, value: 0 }); // the one buffered value, and no other
        expect(out.tryReceive()).toEqual({ ok: false, closed: false });
        if (round === 2) warm = heap();
      }
      const ch = out;
      expect(unwound).toBe(n);
      expect({ balance: ch.balance, length: ch.length, alive: loopStats().alive, ...leftovers() }).toEqual({ balance: 0, length: 0, alive: 0, timers: 0, parkedPlain: 0 });
      if (gc !== undefined) expect(heap() - warm).toBeLessThan(FLAT);
    },
    TIMEOUT,
  );
});

describe('the host is not starved', () => {
  test(
    'while tasklets ping-pong without end, every setTimeout(0) fires within a bounded time',
    async () => {
      const timers = scale(20, 500);
      const BOUND_MS = 250; // a batch of 2,048 hand-offs takes a few ms; the bound allows a loaded machine
      const ping = new Channel<number>();
      const pong = new Channel<number>();
      let handoffs = 0;
      let stop = false;
      // They stop by themselves after a while, so that a starved host fails this test
      // (the timers fire late) instead of hanging Jest.
      const deadline = Date.now() + BOUND_MS * timers + 10_000;
      const a = tasklet(
        async () => {
          while (!stop && Date.now() < deadline) {
            await ping.send(handoffs++);
            await pong.receive();
          }
        },
        { name: 'ping' },
      )();
      const b = tasklet(
        async () => {
          for (;;) {
            await ping.receive();
            await pong.send(handoffs++);
          }
        },
        { name: 'pong' },
      )();
      const lateness: number[] = [];
      const seenAt: number[] = [];
      for (let i = 0; i < timers; i++) {
        const t0 = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 0));
        lateness.push(Date.now() - t0);
        seenAt.push(handoffs);
      }
      stop = true;
      await a.kill();
      await b.kill();
      expect(Math.max(...lateness)).toBeLessThan(BOUND_MS);
      // The tasklets went on between the timers: the loop was not simply idle.
      expect(seenAt[seenAt.length - 1]).toBeGreaterThan(seenAt[0]);
      expect(new Set(seenAt).size).toBeGreaterThan(timers / 2);
    },
    TIMEOUT,
  );
});

describe.each(CAPACITIES)('capacity %p', (capacity) => {
  test(
    `4 producers × 4 consumers × ${scale(10_000, 100_000).toLocaleString('en')} values: the multiset received is the multiset sent, per-producer order per consumer`,
    async () => {
      const perProducer = scale(10_000, 100_000);
      const ch = new Channel<number>({ capacity, name: 'work' });
      const P = 4;
      const C = 4;
      const producers = Array.from({ length: P }, (_, p) =>
        tasklet(
          async () => {
            for (let k = 0; k < perProducer; k++) await ch.send(p * perProducer + k);
          },
          { name: `producer ${p}` },
        )(),
      );
      const consumers = Array.from({ length: C }, (_, c) =>
        tasklet(
          async () => {
            const got: number[] = [];
            for await (const v of ch) {
              got.push(v);
              if (got.length % 97 === c) await schedule(); // vary the interleaving
            }
            return got;
          },
          { name: `consumer ${c}` },
        )(),
      );
      tasklet(
        async () => {
          for (const p of producers) await p.join();
          ch.close();
        },
        { name: 'closer' },
      )();
      await run();
      const counts = new Uint8Array(P * perProducer);
      let total = 0;
      const outOfOrder: string[] = [];
      for (const [c, t] of consumers.entries()) {
        const got = await t.join();
        const last = new Array<number>(P).fill(-1);
        for (const v of got) {
          counts[v]++;
          total++;
          const p = Math.floor(v / perProducer);
          if (v <= last[p]) outOfOrder.push(`consumer ${c}: ${v} after ${last[p]}`);
          last[p] = v;
        }
      }
      const notOnce: number[] = [];
      for (let v = 0; v < counts.length && notOnce.length < 10; v++) if (counts[v] !== 1) notOnce.push(v);
      expect({ total, notOnce, outOfOrder: outOfOrder.slice(0, 10) }).toEqual({ total: P * perProducer, notOnce: [], outOfOrder: [] });
      expect([ch.balance, ch.length, ch.closed]).toEqual([0, 0, true]);
    },
    TIMEOUT,
  );

  test(
    `close with ${scale(10_000, 100_000).toLocaleString('en')} senders parked: every value is received, in order, then end-of-channel`,
    async () => {
      const n = scale(10_000, 100_000);
      const ch = new Channel<number>({ capacity, name: 'full' });
      const fill = Number.isFinite(capacity) ? capacity : 0;
      const senders = Array.from({ length: n + fill }, (_, i) => tasklet(async () => ch.send(i))());
      await idle();
      if (Number.isFinite(capacity)) expect([ch.length, ch.balance]).toEqual([fill, n]);
      ch.close();
      expect(ch.closed).toBe(Number.isFinite(capacity) ? false : n + fill === 0);
      const got: number[] = [];
      for await (const v of ch) got.push(v);
      const wrong = got.findIndex((v, i) => v !== i);
      expect({ received: got.length, firstOutOfOrder: wrong }).toEqual({ received: n + fill, firstOutOfOrder: -1 });
      await run();
      for (const s of senders.slice(0, 10)) expect(s.alive).toBe(false);
      expect([ch.balance, ch.length, ch.closed]).toEqual([0, 0, true]);
    },
    TIMEOUT,
  );
});
