/**
 * Rendezvous channels when the server fails (lib/nats/): nats-server is killed with
 * SIGKILL and restarted on the same port. A send whose answer was on its way says it may
 * have been delivered; operations parked while the server is away fail after
 * `unavailableTimeout` (a send: not delivered); after a restart the channel works again.
 * Never a hang, never a silent loss.
 */
import { NatsChannelError, natsChannel } from '../../lib/nats';
import { describeWithServer, useServer } from './server';

jest.setTimeout(30_000);

describeWithServer('tasklets/nats rendezvous under faults', () => {
  const t = useServer('spec.fault', { reconnectTimeWait: 50, maxReconnectAttempts: -1 });
  const { conn, subject } = t;

  test('SIGKILL while a send waits for its answer: it rejects ("disconnected", not the 20 s "timeout"), with its value and maybeDelivered; after the restart the channel works', async () => {
    const s = subject();
    const silent = await conn();
    silent.subscribe(s, { queue: 'tasklets', callback: () => undefined }); // has the offer, never answers
    await silent.flush();
    const a = natsChannel<number>(await conn(), s, { requestTimeout: 20_000 });
    const sent = a.send(41).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 100));
    await t.server.stop('SIGKILL');
    const e = (await sent) as NatsChannelError;
    expect(e).toBeInstanceOf(NatsChannelError);
    expect([e.reason, e.maybeDelivered, e.value]).toEqual(['disconnected', true, 41]);
    await t.server.start();
    await silent.close();
    const b = natsChannel<number>(await conn(), s);
    const again = a.send(42);
    expect(await b.receive()).toBe(42);
    await again;
  });

  test('while the server is away, parked operations fail after unavailableTimeout: a send not delivered, a receive; a send parked before comes through if it returns in time', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s, { unavailableTimeout: 300 });
    const patient = natsChannel<number>(await conn(), s, { unavailableTimeout: 20_000 });
    const receiving = a.receive().catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 50));
    await t.server.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    const sending = a.send(7).catch((x: unknown) => x);
    const waiting = patient.send(8);
    const [r, x] = (await Promise.all([receiving, sending])) as NatsChannelError[];
    expect([r instanceof NatsChannelError, r.reason]).toEqual([true, 'unavailable']);
    expect([x instanceof NatsChannelError, x.reason, x.maybeDelivered, x.value]).toEqual([true, 'unavailable', false, 7]);
    await t.server.start();
    const b = natsChannel<number>(await conn(), s);
    expect(await b.receive()).toBe(8);
    await waiting;
  });
});
