/**
 * Durable buffered channels on JetStream (lib/nats/durable.ts), against a real
 * nats-server: values cross in order and survive their sender, a full stream parks
 * senders instead of dropping, an aborted receive takes nothing, close ends every
 * receiver once drained and is remembered by channels made later.
 */
import { ChannelClosedError } from '../../lib/index';
import { DurableNatsChannel, natsChannel } from '../../lib/nats';
import { Replies, store } from '../../lib/nats/replies';
import { encode } from '../../lib/nats/wire';
import { describeWithServer, useServer } from './server';

jest.setTimeout(30_000);

describeWithServer('tasklets/nats durable channels', () => {
  const t = useServer('spec.dur');
  const { conn, subject } = t;

  test('a publish repeated with the same Nats-Msg-Id is stored once: the hand-written header reaches the server', async () => {
    const s = subject();
    const nc = await conn();
    const ch = natsChannel<number>(nc, s, { capacity: 10, durable: true });
    await ch.send(0); // the stream exists
    const replies = new Replies(nc, 5000, 20);
    const data = encode('spec', 1, false, 'spec-sender', 1);
    const first = await store(replies, s, data, 'spec-sender:1');
    const second = await store(replies, s, data, 'spec-sender:1');
    const third = await store(replies, s, encode('spec', 2, false, 'spec-sender', 2), 'spec-sender:2');
    const info = await (await nc.jetstreamManager()).streams.info(ch.stream);
    expect([first, second, third, info.state.messages]).toEqual(['stored', 'stored', 'stored', 3]);
  });

  test('values stored by a sender whose connection is gone are received in order; close ends for await; later channels know the close', async () => {
    const s = subject();
    const tx = await conn();
    const a = natsChannel<number>(tx, s, { capacity: 500, durable: true });
    expect(a).toBeInstanceOf(DurableNatsChannel);
    for (let i = 0; i < 300; i++) await a.send(i);
    await a.close();
    await tx.close(); // the sender is gone: its values are in the stream
    const b = natsChannel<number>(await conn(), s, { capacity: 500, durable: true });
    const got: number[] = [];
    for await (const v of b) got.push(v);
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
    await expect(b.send(1)).rejects.toBeInstanceOf(ChannelClosedError);
    const late = natsChannel<number>(await conn(), s, { capacity: 500, durable: true });
    await expect(late.receive()).rejects.toBeInstanceOf(ChannelClosedError);
  });

  test('a full stream parks the sender instead of dropping: the 6th send into capacity 5 waits until a receive makes room', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s, { capacity: 5, durable: true });
    const b = natsChannel<number>(await conn(), s, { capacity: 5, durable: true });
    for (let i = 0; i < 5; i++) await a.send(i);
    let done = false;
    const sixth = a.send(5).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    expect(await b.receive()).toBe(0);
    await sixth;
    const rest: number[] = [];
    for (let i = 0; i < 5; i++) rest.push(await b.receive());
    expect(rest).toEqual([1, 2, 3, 4, 5]);
  });

  test('receives aborted at random moments take nothing; sendThrow arrives as an error with its cause', async () => {
    const s = subject();
    const a = natsChannel<number>(await conn(), s, { capacity: 50, durable: true });
    const rx = [natsChannel<number>(await conn(), s, { capacity: 50, durable: true }), natsChannel<number>(await conn(), s, { capacity: 50, durable: true })];
    const n = 200;
    const got: number[] = [];
    let aborted = 0;
    const loops = rx.map((r, k) =>
      (async () => {
        for (let i = 0; got.length < n; i++) {
          try {
            got.push(await r.receive({ signal: AbortSignal.timeout(((i * 7 + k * 3) % 5) + 1) }));
          } catch {
            aborted++;
          }
        }
      })(),
    );
    for (let i = 0; i < n; i++) await a.send(i);
    await Promise.all(loops);
    expect(aborted).toBeGreaterThan(0);
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    await a.sendThrow(new RangeError('too big', { cause: { limit: 3 } }));
    const e = (await rx[0].receive().catch((x: unknown) => x)) as Error;
    expect([e.name, e.message, e.cause]).toEqual(['RangeError', 'too big', { limit: 3 }]);
  });

  test('bad options are refused with a TypeError naming them', async () => {
    const nc = await conn();
    expect(() => natsChannel(nc, 'x', { capacity: 2, durable: 'a b' })).toThrow(/options.durable must be/);
    expect(() => natsChannel(nc, 'x', { durable: true })).toThrow(/options.durable needs a positive options.capacity/);
    expect(() => natsChannel(nc, 'x', { capacity: 1.5, durable: true })).toThrow(/options.capacity must be a non-negative integer/);
  });
});
