/**
 * Rendezvous channels on a real nats-server (lib/nats/): each connection stands for a
 * process, since everything between them goes through the server. Values cross in order,
 * a send waits for a receiver, each value reaches exactly one receiver, an aborted receive
 * takes nothing, close reaches every process, errors keep name, message and cause.
 */
import { Channel, ChannelClosedError, DeadlockError, run, tasklet } from '../../lib/index';
import { NatsChannelError, natsChannel } from '../../lib/nats';
import { describeWithServer, useServer } from './server';

jest.setTimeout(30_000);

describeWithServer('tasklets/nats rendezvous', () => {
  const t = useServer('spec.rv');
  const { conn, subject } = t;

  test('300 values cross from one connection to another in order; close ends the other side’s for await; a later send is refused with its value', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s);
    const b = natsChannel<number>(await conn(), s);
    const got: number[] = [];
    const consumer = (async () => {
      for await (const v of b) got.push(v);
    })();
    for (let i = 0; i < 300; i++) await a.send(i);
    await a.close();
    await consumer;
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const e = await b.send(7).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChannelClosedError);
    expect((e as ChannelClosedError).value).toBe(7);
    // a channel made after the close learns it from the processes that saw it
    const late = natsChannel<number>(await conn(), s);
    await expect(late.send(8)).rejects.toBeInstanceOf(ChannelClosedError);
    await expect(late.receive()).rejects.toBeInstanceOf(ChannelClosedError);
  });

  test('a send completes only once a receiver has taken the value', async () => {
    const s = subject();
    const a = natsChannel<string>(await conn(), s);
    const b = natsChannel<string>(await conn(), s);
    let done = false;
    const sent = a.send('hello').then(() => (done = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    expect(await b.receive()).toBe('hello');
    await sent;
    expect(done).toBe(true);
  });

  test('three receiving connections, two sending: each of 400 values is received exactly once', async () => {
    const s = subject();
    const senders = [natsChannel<number>(await conn(), s), natsChannel<number>(await conn(), s)];
    const receivers = [natsChannel<number>(await conn(), s), natsChannel<number>(await conn(), s), natsChannel<number>(await conn(), s)];
    const got: number[][] = receivers.map(() => []);
    const loops = receivers.map((r, k) =>
      (async () => {
        for await (const v of r) got[k].push(v);
      })(),
    );
    await Promise.all(senders.map((c, k) => (async () => { for (let i = 0; i < 200; i++) await c.send(k * 1000 + i); })())); // prettier-ignore
    await senders[0].close();
    await Promise.all(loops);
    const all = got.flat().sort((x, y) => x - y);
    expect(all).toEqual([...Array.from({ length: 200 }, (_, i) => i), ...Array.from({ length: 200 }, (_, i) => 1000 + i)]);
    for (const g of got)
      for (const k of [0, 1]) expect(g.filter((v) => Math.floor(v / 1000) === k)).toEqual([...g.filter((v) => Math.floor(v / 1000) === k)].sort((x, y) => x - y));
  });

  test('receives aborted at random moments take nothing: every completed send is received exactly once, and every value sent is', async () => {
    const s = subject();
    const tx = natsChannel<number>(await conn(), s);
    const rxs = [natsChannel<number>(await conn(), s), natsChannel<number>(await conn(), s)];
    const n = 300;
    const got: number[] = [];
    let aborted = 0;
    let sending = true;
    const loops = rxs.map((rx, k) =>
      (async () => {
        let i = 0;
        while (sending || got.length < n) {
          try {
            got.push(await rx.receive({ signal: AbortSignal.timeout(((i++ * 7 + k * 3) % 5) + 1) }));
          } catch (e) {
            if (e instanceof ChannelClosedError) return;
            aborted++;
          }
          if (!sending && got.length >= n) return;
        }
      })(),
    );
    for (let i = 0; i < n; i++) await tx.send(i);
    sending = false;
    await Promise.all(loops);
    expect(aborted).toBeGreaterThan(0);
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  test('sendThrow: the receive throws an Error with the name, message and cause (nested); the class is lost', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s);
    const b = natsChannel<number>(await conn(), s);
    class JobError extends Error {
      override name = 'JobError';
      code = 42;
    }
    const sent = a.sendThrow(new JobError('job 7 failed', { cause: new TypeError('bad input', { cause: { file: 'a.png' } }) }));
    const e = (await b.receive().catch((x: unknown) => x)) as Error & { code?: number };
    await sent;
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(JobError);
    expect([e.name, e.message, e.code]).toEqual(['JobError', 'job 7 failed', undefined]);
    expect(e.cause).toBeInstanceOf(Error);
    expect([(e.cause as Error).name, (e.cause as Error).message, (e.cause as Error).cause]).toEqual(['TypeError', 'bad input', { file: 'a.png' }]);
  });

  test('a receiver that takes the offer and never answers: the send rejects after requestTimeout with the value, saying it may have been delivered', async () => {
    const s = subject();
    const nc = await conn();
    nc.subscribe(s, { queue: 'tasklets', callback: () => undefined }); // takes offers, answers nothing: a receiver that crashed
    const a = natsChannel<{ id: number }>(await conn(), s, { requestTimeout: 200 });
    const e = (await a.send({ id: 7 }).catch((x: unknown) => x)) as NatsChannelError;
    expect(e).toBeInstanceOf(NatsChannelError);
    expect([e.reason, e.maybeDelivered, e.value]).toEqual(['timeout', true, { id: 7 }]);
  });

  test('a parked send aborted: rejects with the reason, and no receiver ever gets its value', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s);
    const b = natsChannel<number>(await conn(), s);
    const reason = new Error('enough');
    const ac = new AbortController();
    const sent = a.send(1, { signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    await expect(sent).rejects.toBe(reason);
    const later = a.send(2);
    expect(await b.receive()).toBe(2);
    await later;
  });

  test('a closed connection fails parked operations with NatsChannelError "closed" (a send: not delivered), and later ones at once', async () => {
    const s = subject();
    const nc = await conn();
    const a = natsChannel<number>(nc, s);
    const r = a.receive().catch((x: unknown) => x);
    await new Promise((res) => setTimeout(res, 50));
    await nc.close();
    const e = (await r) as NatsChannelError;
    expect([e instanceof NatsChannelError, e.reason]).toEqual([true, 'closed']);
    const f = (await a.send(3).catch((x: unknown) => x)) as NatsChannelError;
    expect([f instanceof NatsChannelError, f.reason, f.maybeDelivered, f.value]).toEqual([true, 'closed', false, 3]);
  });

  test('a tasklet parked on a NATS channel waits outside: run() does not report a deadlock, and ends once the value came', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s);
    const b = natsChannel<number>(await conn(), s);
    let got: number | undefined;
    tasklet(async () => void (got = await b.receive()), { name: 'remote receiver' })();
    const early = await Promise.race([run().then(() => 'resolved', (x: unknown) => x), new Promise((res) => setTimeout(() => res('still waiting'), 300))]); // prettier-ignore
    expect(early).toBe('still waiting');
    await a.send(5);
    await run();
    expect(got).toBe(5);
    // and a real deadlock next to it is still reported
    const stuck = tasklet(async () => void (await new Channel<number>().receive()), { name: 'stuck' })();
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeadlockError);
    await stuck.kill();
  });

  test('bad input is refused with a TypeError naming the argument', async () => {
    const nc = await conn();
    expect(() => natsChannel(null as never, 'x')).toThrow(/natsChannel\(\): connection must be/);
    expect(() => natsChannel(nc, 'a.*')).toThrow(/subject must be a NATS subject/);
    expect(() => natsChannel(nc, 'x', { requestTimeout: -1 })).toThrow(/options.requestTimeout/);
    expect(() => natsChannel(nc, 'x', { capacity: 3 })).toThrow(/needs options.durable/);
    const a = natsChannel<unknown>(nc, subject());
    await expect(a.send(10n)).rejects.toThrow(/cannot be carried as JSON/);
    await expect(a.receive({ signal: 'soon' as never })).rejects.toThrow(/options.signal must be an AbortSignal/);
  });
});
