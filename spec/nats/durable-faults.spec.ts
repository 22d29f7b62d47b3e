/**
 * A durable channel while nats-server is killed with SIGKILL in the middle of a stream and
 * restarted (lib/nats/durable.ts): nothing acknowledged is lost, nothing reaches the
 * program twice. Counted exactly: every send that resolved is received once; sends that
 * failed say whether they may have been stored, and one that says "not stored" is never
 * received. 3,000 values by default; STRESS=1 runs 30,000 values three times.
 */
import { NatsChannelError, natsChannel } from '../../lib/nats';
import { describeWithServer, useServer } from './server';

const stress = process.env.STRESS === '1';
const N = stress ? 30_000 : 3_000;
const RUNS = stress ? 3 : 1;
const SENDERS = 8;
jest.setTimeout(stress ? 600_000 : 60_000);

describeWithServer('tasklets/nats durable channels under a server crash', () => {
  const t = useServer('spec.crash', { reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  const { conn } = t;

  test.each(Array.from({ length: RUNS }, (_, i) => i + 1))(`run %i: ${N} values, SIGKILL and restart mid-stream: every acknowledged value received exactly once`, async (run) => {
    const options = { capacity: 256, durable: true as const, ackWait: 1000, unavailableTimeout: 30_000 };
    const subject = `spec.crash.${run}`;
    const tx = natsChannel<number>(await conn(), subject, options);
    const rx = natsChannel<number>(await conn(), subject, options);
    const counts = new Uint8Array(N);
    let received = 0;
    let killed = null as Promise<void> | null;
    const receiving = (async () => {
      for await (const v of rx) {
        counts[v]++;
        if (++received === Math.floor(N / 3))
          killed = (async () => {
            await t.server.stop('SIGKILL');
            await new Promise((r) => setTimeout(r, 200));
            await t.server.start();
          })();
      }
    })();
    const acked: number[] = [];
    const failed: NatsChannelError[] = [];
    await Promise.all(
      Array.from({ length: SENDERS }, (_, k) =>
        (async () => {
          for (let i = k; i < N; i += SENDERS) {
            try {
              await tx.send(i);
              acked.push(i);
            } catch (e) {
              if (!(e instanceof NatsChannelError)) throw e;
              failed.push(e);
            }
          }
        })(),
      ),
    );
    await killed;
    await tx.close();
    await receiving;
    const twice = counts.filter((c) => c > 1).length;
    const lost = acked.filter((v) => counts[v] === 0).length;
    const notStoredButReceived = failed.filter((e) => !e.maybeDelivered && counts[e.value as number] > 0).length;
    console.log(
      `durable crash run ${run}: ${N} sent, ${acked.length} acknowledged, ${failed.length} failed (${failed.filter((e) => e.maybeDelivered).length} maybe stored), ` +
        `${received} received, ${rx.seen.dropped} duplicate copies dropped by the receiver, ${lost} acknowledged lost, ${twice} received twice`,
    );
    expect(killed).not.toBeNull();
    expect(twice).toBe(0);
    expect(lost).toBe(0);
    expect(notStoredButReceived).toBe(0);
    expect(received).toBe(acked.length + failed.filter((e) => counts[e.value as number] === 1).length);
  });

  test('while the server is away, a durable send and receive fail after unavailableTimeout: the send with its value, not stored; after the restart the channel works', async () => {
    const options = { capacity: 16, durable: true as const, unavailableTimeout: 300 };
    const a = natsChannel<number>(await conn(), 'spec.away', options);
    const b = natsChannel<number>(await conn(), 'spec.away', options);
    await a.send(1);
    expect(await b.receive()).toBe(1);
    const receiving = b.receive().catch((x: unknown) => x);
    await t.server.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    const [r, x] = (await Promise.all([receiving, a.send(2).catch((e: unknown) => e)])) as NatsChannelError[];
    expect([r instanceof NatsChannelError, r.reason]).toEqual([true, 'unavailable']);
    expect([x instanceof NatsChannelError, x.reason, x.maybeDelivered, x.value]).toEqual([true, 'unavailable', false, 2]);
    await t.server.start();
    await a.send(3);
    expect(await b.receive()).toBe(3);
  });
});
