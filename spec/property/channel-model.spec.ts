/**
 * Property: from plain code, any sequence of channel operations — send, receive (each
 * perhaps with a signal, perhaps already aborted), trySend, tryReceive, abort, close,
 * open — does exactly what a small reference model of SPEC.md says, at every capacity:
 * the same `balance`, `length`, `closing` and `closed` after every step, the same
 * results of the try operations, and the same outcome for every send and receive.
 */
import fc from 'fast-check';
import { Channel, ChannelClosedError } from '../../lib/index';
import { macrotask } from '../helpers';

type Op = { t: 'send' | 'receive'; signal: 'none' | 'live' | 'aborted' } | { t: 'trySend' | 'tryReceive' | 'close' | 'open' } | { t: 'abort'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('send' as const, 'receive' as const), signal: fc.constantFrom('none' as const, 'live' as const, 'aborted' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('trySend' as const, 'tryReceive' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('abort' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('close' as const, 'open' as const) }) },
);

/** What became of a send or a receive. */
type Outcome = 'pending' | 'sent' | 'closed' | 'aborted' | `got ${number}`;

interface Parked {
  id: number;
  value: number;
  ac: AbortController | undefined;
}

async function check(capacity: number, ops: Op[]): Promise<void> {
  const ch = new Channel<number>({ capacity });
  // The model.
  const buffer: number[] = [];
  const sendq: Parked[] = [];
  const recvq: Parked[] = [];
  let closing = false;
  const expected: Outcome[] = [];
  // The real outcomes.
  const actual: Outcome[] = [];
  let next = 0;

  const track = (id: number, p: Promise<unknown>, value: number) => {
    actual[id] = 'pending';
    p.then(
      (v) => (actual[id] = v === undefined ? 'sent' : (`got ${v as number}` as Outcome)),
      (e) => (actual[id] = e instanceof ChannelClosedError ? (e.value === value || e.value === undefined ? 'closed' : 'pending') : e === 'aborted' ? 'aborted' : 'pending'),
    );
  };
  /** The model of taking one value: from the buffer (refilled from the oldest sender) or from the oldest sender. */
  const take = (): number | undefined => {
    if (buffer.length > 0) {
      const v = buffer.shift()!;
      const s = sendq.shift();
      if (s) {
        buffer.push(s.value);
        expected[s.id] = 'sent';
      }
      return v;
    }
    const s = sendq.shift();
    if (s) {
      expected[s.id] = 'sent';
      return s.value;
    }
    return undefined;
  };
  /** The model of offering `v`: to the oldest receiver, or into the buffer; false if neither. */
  const give = (v: number): boolean => {
    const r = recvq.shift();
    if (r) {
      expected[r.id] = `got ${v}`;
      return true;
    }
    if (buffer.length < capacity) {
      buffer.push(v);
      return true;
    }
    return false;
  };

  for (const [step, op] of ops.entries()) {
    const id = next++;
    const value = 1000 + id;
    switch (op.t) {
      case 'send':
      case 'receive': {
        const ac = op.signal === 'none' ? undefined : new AbortController();
        if (op.signal === 'aborted') ac!.abort('aborted');
        const options = ac ? { signal: ac.signal } : undefined;
        track(id, op.t === 'send' ? ch.send(value, options) : ch.receive(options), value);
        if (op.signal === 'aborted') expected[id] = 'aborted';
        else if (op.t === 'send') {
          if (closing) expected[id] = 'closed';
          else if (give(value)) expected[id] = 'sent';
          else {
            expected[id] = 'pending';
            sendq.push({ id, value, ac });
          }
        } else {
          const v = take();
          if (v !== undefined) expected[id] = `got ${v}`;
          else if (closing) expected[id] = 'closed';
          else {
            expected[id] = 'pending';
            recvq.push({ id, value, ac });
          }
        }
        break;
      }
      case 'trySend': {
        let result: boolean | 'closed';
        try {
          result = ch.trySend(value);
        } catch (e) {
          result = e instanceof ChannelClosedError && e.value === value ? 'closed' : (`threw ${e}` as never);
        }
        expect({ step, op: 'trySend', result }).toEqual({ step, op: 'trySend', result: closing ? 'closed' : give(value) });
        break;
      }
      case 'tryReceive': {
        const v = take();
        const model = v !== undefined ? { ok: true, value: v } : { ok: false, closed: closing };
        expect({ step, op: 'tryReceive', result: ch.tryReceive() }).toEqual({ step, op: 'tryReceive', result: model });
        break;
      }
      case 'abort': {
        const abortable = [...sendq, ...recvq].filter((p) => p.ac !== undefined);
        if (abortable.length === 0) break;
        const victim = abortable[op.pick % abortable.length];
        victim.ac!.abort('aborted');
        for (const q of [sendq, recvq]) {
          const i = q.indexOf(victim);
          if (i >= 0) q.splice(i, 1);
        }
        expected[victim.id] = 'aborted';
        break;
      }
      case 'close':
        ch.close();
        if (!closing) for (const r of recvq.splice(0)) expected[r.id] = 'closed';
        closing = true;
        break;
      case 'open':
        ch.open();
        closing = false;
        break;
    }
    const model = {
      step,
      balance: sendq.length - recvq.length,
      length: buffer.length,
      closing,
      closed: closing && buffer.length === 0 && sendq.length === 0,
    };
    expect({ step, balance: ch.balance, length: ch.length, closing: ch.closing, closed: ch.closed }).toEqual(model);
  }
  // The loop resumes plain-code waiters one at a time; when the resumed code calls no
  // library operation, a pulse (a macrotask) ends its turn. Allow one per operation.
  const want = expected.map((o, i) => o ?? actual[i]);
  for (let i = 0; i <= ops.length + 2 && JSON.stringify(actual) !== JSON.stringify(want); i++) await macrotask();
  expect(actual).toEqual(want);
  // Leave nothing parked: end the receivers, take the senders' values.
  ch.close();
  while (ch.tryReceive().ok);
  await macrotask();
  expect(ch.balance).toBe(0);
}

describe.each([0, 1, 2, 3, Infinity])('capacity %p', (capacity) => {
  test('any sequence of operations from plain code behaves as the model says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), (ops) => check(capacity, ops)),
      { numRuns: Number(process.env.FC_RUNS ?? 150) },
    );
  });
});
