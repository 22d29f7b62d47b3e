/**
 * close() and open() (SPEC.md "Channels", close): the table of channel state ×
 * operation → result, over every capacity. Nothing sent is lost: buffered values and
 * values of senders parked before the close are still received, in order; receivers
 * parked at the close get end-of-channel.
 */
import { Channel, ChannelClosedError, run, Tasklet, tasklet } from '../../lib/index';
import { CAPACITIES, drain, idle, inTasklet } from '../helpers';

/** A channel brought to a state, with what is left to receive from it, oldest first. */
interface Built {
  ch: Channel<string>;
  /** What receivers will still get, in order, before end-of-channel. */
  left: string[];
  /** Tasklets parked in a send before the close: their sends must complete. */
  senders: Tasklet<unknown>[];
}

interface State {
  name: string;
  /** Whether the state exists at this capacity. */
  exists: (capacity: number) => boolean;
  build: (capacity: number) => Promise<Built>;
  closing: boolean;
  closed: boolean;
}

/** Buffers up to two values, b1 and b2. */
function buffer(ch: Channel<string>, capacity: number): string[] {
  const values = ['b1', 'b2'].slice(0, Math.min(capacity, 2));
  for (const v of values) expect(ch.trySend(v)).toBe(true);
  return values;
}

/** Fills the buffer, then parks senders s1 and s2. */
async function parkSenders(ch: Channel<string>, capacity: number): Promise<Built> {
  const values = Array.from({ length: capacity }, (_, i) => `b${i + 1}`);
  for (const v of values) expect(ch.trySend(v)).toBe(true);
  const senders = ['s1', 's2'].map((v) => tasklet(async () => ch.send(v), { name: v })());
  await idle();
  expect(ch.balance).toBe(2);
  return { ch, left: [...values, 's1', 's2'], senders };
}

const STATES: State[] = [
  {
    name: 'closing, values buffered',
    exists: (c) => c > 0,
    closing: true,
    closed: false,
    build: async (capacity) => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      const left = buffer(ch, capacity);
      ch.close();
      return { ch, left, senders: [] };
    },
  },
  {
    name: 'closing, senders parked',
    exists: (c) => c !== Infinity,
    closing: true,
    closed: false,
    build: async (capacity) => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      const built = await parkSenders(ch, capacity);
      ch.close();
      return built;
    },
  },
  {
    name: 'closed, empty',
    exists: () => true,
    closing: true,
    closed: true,
    build: async (capacity) => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      ch.close();
      return { ch, left: [], senders: [] };
    },
  },
  {
    name: 'closed, drained after values were buffered',
    exists: (c) => c > 0,
    closing: true,
    closed: true,
    build: async (capacity) => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      const values = buffer(ch, capacity);
      ch.close();
      expect(await drain(ch)).toEqual(values);
      return { ch, left: [], senders: [] };
    },
  },
  {
    name: 'closed while receivers were parked',
    exists: () => true,
    closing: true,
    closed: true,
    build: async (capacity) => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      const receiver = tasklet(async () => ch.receive())();
      const outcome = receiver.join().then(
        () => 'value',
        (e) => e,
      );
      const iterated = drain(ch);
      await idle();
      expect(ch.balance).toBe(-2);
      ch.close();
      expect(ch.balance).toBe(0);
      const error = await outcome;
      expect(error).toBeInstanceOf(ChannelClosedError);
      expect(await iterated).toEqual([]);
      return { ch, left: [], senders: [] };
    },
  },
];

describe.each(CAPACITIES)('capacity %p', (capacity) => {
  describe.each(STATES.filter((s) => s.exists(capacity)))('$name', (state) => {
    let built: Built;
    beforeEach(async () => {
      built = await state.build(capacity);
    });
    afterEach(async () => {
      // Whatever the row did, the senders parked before the close must not stay parked.
      const { ch, senders } = built;
      if (!ch.closing) ch.close();
      await drain(ch);
      for (const s of senders) await s.join();
    });

    test('flags: closing and closed', () => {
      expect(built.ch.closing).toBe(state.closing);
      expect(built.ch.closed).toBe(state.closed);
    });

    test('send rejects with ChannelClosedError carrying the value; nothing changes', async () => {
      const { ch, left } = built;
      const [length, balance] = [ch.length, ch.balance];
      for (const value of ['late', undefined]) {
        const error = await ch.send(value as string).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ChannelClosedError);
        expect((error as ChannelClosedError).value).toBe(value);
        expect((error as Error).message).toMatch(/jobs/);
      }
      expect([ch.length, ch.balance]).toEqual([length, balance]);
      expect(await drain(ch)).toEqual(left);
    });

    test('send from a tasklet rejects the same way', async () => {
      const { ch, left } = built;
      const error = await inTasklet(() => ch.send('late')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChannelClosedError);
      expect((error as ChannelClosedError).value).toBe('late');
      expect(await drain(ch)).toEqual(left);
    });

    test('trySend throws ChannelClosedError carrying the value; nothing changes', async () => {
      const { ch, left } = built;
      let error: unknown;
      try {
        ch.trySend('late');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ChannelClosedError);
      expect((error as ChannelClosedError).value).toBe('late');
      expect(await drain(ch)).toEqual(left);
    });

    test('sendThrow and sendSequence are refused too', async () => {
      const { ch, left } = built;
      await expect(ch.sendThrow(new Error('x'))).rejects.toBeInstanceOf(ChannelClosedError);
      await expect(ch.sendSequence(['a', 'b'])).rejects.toBeInstanceOf(ChannelClosedError);
      expect(await drain(ch)).toEqual(left);
    });

    test('receive gets what is left in order, then rejects with ChannelClosedError', async () => {
      const { ch, left, senders } = built;
      const got = await inTasklet(async () => {
        const values: string[] = [];
        for (let i = 0; i < left.length; i++) values.push(await ch.receive());
        return values;
      });
      expect(got).toEqual(left);
      for (const s of senders) await s.join(); // their sends completed
      expect(ch.closed).toBe(true);
      for (let i = 0; i < 2; i++) {
        const error = await inTasklet(() => ch.receive()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ChannelClosedError);
        expect((error as Error).message).toMatch(/jobs/);
      }
      await expect(ch.receive()).rejects.toBeInstanceOf(ChannelClosedError);
    });

    test('tryReceive gets what is left in order, then says closed', async () => {
      const { ch, left, senders } = built;
      const got: string[] = [];
      for (const _ of left) {
        const r = ch.tryReceive();
        expect(r.ok).toBe(true);
        got.push(r.value!);
      }
      expect(got).toEqual(left);
      expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
      expect(ch.closed).toBe(true);
      for (const s of senders) await s.join();
    });

    test('for await gets what is left in order, then just ends', async () => {
      const { ch, left, senders } = built;
      expect(await drain(ch)).toEqual(left);
      expect(await drain(ch)).toEqual([]);
      for (const s of senders) await s.join();
      expect(ch.closed).toBe(true);
    });

    test('close again changes nothing', async () => {
      const { ch, left } = built;
      const [length, balance] = [ch.length, ch.balance];
      expect(() => ch.close()).not.toThrow();
      ch.close();
      expect([ch.length, ch.balance, ch.closing, ch.closed]).toEqual([length, balance, state.closing, state.closed]);
      expect(await drain(ch)).toEqual(left);
    });

    test('open reopens it: new values are accepted after what is left', async () => {
      const { ch, left, senders } = built;
      ch.open();
      expect(ch.closing).toBe(false);
      expect(ch.closed).toBe(false);
      const sender = tasklet(async () => ch.send('new'))();
      const got = await inTasklet(async () => {
        const values: string[] = [];
        for (let i = 0; i <= left.length; i++) values.push(await ch.receive());
        return values;
      });
      expect(got).toEqual([...left, 'new']);
      await sender.join();
      for (const s of senders) await s.join();
    });
  });

  describe('open channel', () => {
    test('close() with receivers parked: each gets end-of-channel; receive rejects, for await ends', async () => {
      const ch = new Channel<string>({ capacity, name: 'jobs' });
      const receivers = [1, 2].map(() => tasklet(async () => ch.receive())());
      const outcomes = receivers.map((t) =>
        t.join().then(
          () => 'value',
          (e: unknown) => e,
        ),
      );
      const plain = ch.receive().then(
        () => 'value',
        (e: unknown) => e,
      );
      const iterated = drain(ch);
      await idle();
      expect(ch.balance).toBe(-4);
      ch.close();
      expect(ch.balance).toBe(0);
      expect(ch.closed).toBe(true);
      for (const o of [...outcomes, plain]) expect(await o).toBeInstanceOf(ChannelClosedError);
      expect(await iterated).toEqual([]);
      await run();
    });

    test('nothing sent is lost: buffered values, then values of senders parked before the close, in order', async () => {
      const ch = new Channel<number>({ capacity });
      const producer = tasklet(async () => ch.sendSequence([1, 2, 3, 4, 5, 6]))();
      const rejected = producer.join().then(
        () => false,
        (e: unknown) => e instanceof ChannelClosedError,
      );
      // Three more senders parked (or buffered) before the close, from tasklets and plain code.
      const others = [7, 8].map((v) => tasklet(async () => ch.send(v))());
      await idle();
      const plain = ch.send(9);
      ch.close();
      const got = await drain(ch);
      for (const t of others) await t.join();
      await plain;
      // The producer buffered what fitted and parked its next value; the close refused the one after.
      const fromProducer = Array.from({ length: Math.min(capacity + 1, 6) }, (_, i) => i + 1);
      expect(await rejected).toBe(fromProducer.length < 6);
      expect(got).toEqual([...fromProducer, 7, 8, 9]);
    });

    test('close() is idempotent on an open channel with nothing in it', () => {
      const ch = new Channel({ capacity });
      ch.close();
      ch.close();
      expect(ch.closing).toBe(true);
      expect(ch.closed).toBe(true);
      expect(ch.tryReceive()).toEqual({ ok: false, closed: true });
    });

    test('open() on an open channel changes nothing', () => {
      const ch = new Channel<number>({ capacity });
      ch.open();
      expect(ch.closing).toBe(false);
      if (capacity > 0) {
        ch.trySend(1);
        ch.open();
        expect(ch.tryReceive()).toEqual({ ok: true, value: 1 });
      }
    });

    test('closing becomes closed exactly when the last value is received', async () => {
      const ch = new Channel<number>({ capacity });
      const senders = [1, 2].map((v) => tasklet(async () => ch.send(v))());
      await idle();
      ch.close();
      expect(ch.closing).toBe(true);
      const flags: boolean[] = [ch.closed];
      await inTasklet(async () => {
        await ch.receive();
        flags.push(ch.closed);
        await ch.receive();
        flags.push(ch.closed);
      });
      for (const t of senders) await t.join();
      expect(flags).toEqual([false, false, true]);
    });
  });
});
