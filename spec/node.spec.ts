/** tasklets/node: channels from a Readable and from EventEmitter events, and into a Writable. */
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { Channel, ChannelClosedError, fromIterable, run, tasklet } from '../lib/index';
import { fromEvent, fromReadable, toWritable } from '../lib/node';
import { rejection, settle } from './helpers';

function sink(highWaterMark = 16, delay = 0): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    objectMode: true,
    highWaterMark,
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      if (delay > 0) setTimeout(cb, delay);
      else cb();
    },
  });
  return { stream, chunks };
}

describe('fromReadable', () => {
  test('order and close: every chunk, in order, then closed', async () => {
    const ch = fromReadable<string>(Readable.from(['a', 'b', 'c']));
    const got: string[] = [];
    await tasklet(async () => {
      for await (const v of ch) got.push(v);
    })().join();
    expect(got).toEqual(['a', 'b', 'c']);
    expect(ch.closed).toBe(true);
  });

  test('errors are forwarded; abort destroys the stream', async () => {
    const boom = new Error('read failed');
    const failing = new Readable({
      read() {
        this.destroy(boom);
      },
    });
    expect(await rejection(fromReadable(failing).receive())).toBe(boom);
    const ac = new AbortController();
    const endless = new Readable({
      objectMode: true,
      read() {
        this.push('x');
      },
    });
    const ch = fromReadable(endless, { signal: ac.signal });
    expect(await ch.receive()).toBe('x');
    ac.abort();
    await settle();
    expect(endless.destroyed).toBe(true);
    while (ch.tryReceive().ok);
    expect(ch.closed).toBe(true);
    await run();
  });
});

describe('fromEvent', () => {
  test('order, close on an event, and errors', async () => {
    const em = new EventEmitter();
    const ch = fromEvent<number>(em, 'data', { closeOn: ['end'] });
    em.emit('data', 1);
    em.emit('data', 2);
    em.emit('end');
    em.emit('data', 3); // after the close: not delivered
    expect([await ch.receive(), await ch.receive()]).toEqual([1, 2]);
    await expect(ch.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    expect(em.listenerCount('data')).toBe(0);
    const em2 = new EventEmitter();
    const ch2 = fromEvent(em2, 'data');
    const boom = new Error('boom');
    em2.emit('error', boom);
    expect(await rejection(ch2.receive())).toBe(boom);
    expect(ch2.closed).toBe(true);
  });

  test('abort removes the listeners; a bounded buffer drops instead of blocking the emitter', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    const ch = fromEvent<number>(em, 'tick', { capacity: 2, signal: ac.signal });
    for (let i = 0; i < 5; i++) em.emit('tick', i);
    expect([ch.tryReceive().value, ch.tryReceive().value]).toEqual([3, 4]);
    ac.abort();
    expect(em.listenerCount('tick')).toBe(0);
    expect(ch.closed).toBe(true);
    expect(() => fromEvent(null as never, 'x')).toThrow(/fromEvent\(\): emitter must be an EventEmitter, received null/);
  });
});

describe('toWritable', () => {
  test('writes in order with backpressure, ends the stream, resolves with the count', async () => {
    const { stream, chunks } = sink(1, 2);
    const src = fromIterable(['a', 'b', 'c', 'd']);
    expect(await toWritable(src, stream)).toBe(4);
    expect(chunks).toEqual(['a', 'b', 'c', 'd']);
    expect(stream.writableFinished).toBe(true);
    await run();
  });

  test('a channel error rejects and destroys the stream; abort leaves the rest in the channel', async () => {
    const { stream } = sink();
    const ch = new Channel<string>({ capacity: 3 });
    ch.trySend('a');
    const boom = new Error('upstream');
    void ch.sendThrow(boom);
    expect(await rejection(toWritable(ch, stream))).toBe(boom);
    expect(stream.destroyed).toBe(true);
    const ac = new AbortController();
    const quiet = new Channel<string>();
    const p = toWritable(quiet, sink().stream, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeDefined();
    expect(quiet.balance).toBe(0);
    await expect(toWritable(1 as never, stream)).rejects.toThrow(/toWritable\(\): ch must be a Channel, received 1/);
  });
});
