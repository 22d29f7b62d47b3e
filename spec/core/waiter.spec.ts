/**
 * The parked waiter and its wait lists (lib/core/waiter.ts), on their own:
 *  - a waiter's promise is made once per operation and settled by `_settle()` with the
 *    outcome in `_value` — fulfilled, or rejected when `FAILED` is set; settling before
 *    the promise exists is an internal error, and the first settlement stands;
 *  - `_bits` packs the op, `IN_RUNQ` and `FAILED`: each accessor touches its own bits
 *    and leaves the rest, the tasklet's bits from `WAITER_BITS` up included;
 *  - wait lists are circular and doubly linked, known by their oldest waiter: `append`
 *    at the tail, `cut` from anywhere in O(1), `listed` oldest first; a `WaitQueue` is
 *    such a list with a length and a holder, for reports (`holderOf`);
 *  - `handleEvent` (the abort listener) does nothing once the waiter has left its queue;
 *  - `unlisten` never throws: a `removeEventListener` that throws is reported afterwards,
 *    to a pending `run()`.
 * How the loop uses all this is spec/core/loop.spec.ts's and spec/channel/cancel.spec.ts's.
 */
import { append, cut, FAILED, type Holder, holderOf, IN_RUNQ, listed, Op, OP, OUTSIDE, sends, unlisten, Waiter, WAITER_BITS, WaitQueue } from '../../lib/core/waiter';
import { run, sleep, tasklet } from '../../lib/index';

/** A plain-code waiter (no owning tasklet) for `op`, holding `value`. */
const waiter = (value: unknown = undefined, op: Op = Op.Receive): Waiter => new Waiter(undefined, op, value);

/** What a promise settled to, after the microtasks have run. */
async function outcome(p: Promise<unknown>): Promise<['value', unknown] | ['error', unknown]> {
  return p.then(
    (v) => ['value', v] as ['value', unknown],
    (e) => ['error', e] as ['error', unknown],
  );
}

describe('the promise of an operation', () => {
  test('settles with the outcome in _value', async () => {
    const w = waiter('offered', Op.Send);
    const p = w._promise<string>();
    w._value = 'outcome';
    w._settle();
    expect(await outcome(p)).toEqual(['value', 'outcome']);
  });

  test('rejects with _value when FAILED is set', async () => {
    const w = waiter();
    const p = w._promise();
    const boom = new Error('boom');
    w._value = boom;
    w._failed = true;
    w._settle();
    expect(await outcome(p)).toEqual(['error', boom]);
  });

  test("a failure's reason is carried as it is, a thenable too", async () => {
    const w = waiter();
    const p = w._promise();
    const thenable = { then: () => {} };
    w._value = thenable;
    w._failed = true;
    w._settle();
    const [kind, reason] = await outcome(p);
    expect(kind).toBe('error');
    expect(reason).toBe(thenable);
  });

  test('settling before the promise is made is an internal error', () => {
    expect(() => waiter()._settle()).toThrow('tasklets: internal error: waiter settled before its promise was made');
  });

  test('the first settlement stands', async () => {
    // (Not the other way round: a second, failed _settle() would make a rejected promise
    // that nothing observes. The loop settles each operation once.)
    const w = waiter();
    const p = w._promise();
    const first = new Error('first');
    w._value = first;
    w._failed = true;
    w._settle();
    w._value = 'second';
    w._failed = false;
    w._settle();
    expect(await outcome(p)).toEqual(['error', first]);
  });

  test('each operation has its own promise: a waiter reused settles the newest one', async () => {
    const w = waiter();
    const first = w._promise();
    w._value = 'first';
    w._settle();
    const second = w._promise();
    expect(second).not.toBe(first);
    w._value = 'second';
    w._settle();
    expect([await outcome(first), await outcome(second)]).toEqual([
      ['value', 'first'],
      ['value', 'second'],
    ]);
  });
});

describe('_bits', () => {
  test('a new waiter holds its op and no flag', () => {
    const w = new Waiter(undefined, Op.SelectSend, 'v');
    expect(w._op).toBe(Op.SelectSend);
    expect([w._inRunq, w._failed]).toEqual([false, false]);
    expect(w._owner).toBeUndefined();
    expect(w._value).toBe('v');
    expect(w._queue).toBeNull();
  });

  test('the masks do not overlap: the op fits in OP, the flags and the tasklet bits lie above it', () => {
    const ops = [Op.Start, Op.Yield, Op.Send, Op.Receive, Op.Iterate, Op.Join, Op.Run, Op.SelectSend, Op.SelectReceive, Op.Select, Op.Schedule];
    expect(new Set(ops).size).toBe(ops.length);
    for (const op of ops) expect(op & ~OP).toBe(0);
    for (const bit of [IN_RUNQ, FAILED, WAITER_BITS, OUTSIDE]) {
      expect(bit & (bit - 1)).toBe(0); // one bit each
      expect(bit & OP).toBe(0);
    }
    expect(new Set([IN_RUNQ, FAILED, WAITER_BITS, OUTSIDE]).size).toBe(4);
    expect(OUTSIDE).toBeGreaterThanOrEqual(WAITER_BITS);
  });

  test('each flag is set and cleared alone: the op, the other flag and the bits above are kept', () => {
    const w = waiter(undefined, Op.Join);
    const above = WAITER_BITS | OUTSIDE; // a tasklet's own bits
    w._bits |= above;
    w._inRunq = true;
    w._failed = true;
    expect(w._bits).toBe(Op.Join | IN_RUNQ | FAILED | above);
    w._inRunq = false;
    expect([w._op, w._inRunq, w._failed]).toEqual([Op.Join, false, true]);
    w._inRunq = true;
    w._failed = false;
    expect([w._op, w._inRunq, w._failed]).toEqual([Op.Join, true, false]);
    expect(w._bits & above).toBe(above);
  });

  test("sends(op): the send side is Send and a select's send case, nothing else", () => {
    const all = [Op.Start, Op.Yield, Op.Send, Op.Receive, Op.Iterate, Op.Join, Op.Run, Op.SelectSend, Op.SelectReceive, Op.Select, Op.Schedule];
    expect(all.filter(sends)).toEqual([Op.Send, Op.SelectSend]);
  });
});

describe('wait lists: append, cut, listed', () => {
  const named = (...names: string[]): Waiter[] => names.map((n) => waiter(n));
  const values = (head: Waiter | null): unknown[] => [...listed(head)].map((w) => w._value);
  /** The list walked newest to oldest through `_prev`: the links agree both ways. */
  const backwards = (head: Waiter | null): unknown[] => {
    const out: unknown[] = [];
    if (head === null) return out;
    for (let w = head._prev!; ; w = w._prev!) {
      out.push(w._value);
      if (w === head) return out;
    }
  };

  test('an empty list lists nothing; one waiter appended is a list of one, linked to itself', () => {
    expect(values(null)).toEqual([]);
    const [a] = named('a');
    const head = append(null, a);
    expect(head).toBe(a);
    expect([a._prev, a._next]).toEqual([a, a]);
    expect(values(head)).toEqual(['a']);
  });

  test('append goes to the tail; the head stays the oldest', () => {
    const [a, b, c] = named('a', 'b', 'c');
    let head = append(null, a);
    head = append(head, b);
    head = append(head, c);
    expect(head).toBe(a);
    expect(values(head)).toEqual(['a', 'b', 'c']);
    expect(backwards(head)).toEqual(['c', 'b', 'a']);
  });

  test.each([
    ['the head', 'a', ['b', 'c', 'd']],
    ['one between', 'c', ['a', 'b', 'd']],
    ['the tail', 'd', ['a', 'b', 'c']],
  ])('cut of %s: the rest in order, the new head returned, the cut waiter unlinked', (_where, gone, rest) => {
    const ws = named('a', 'b', 'c', 'd');
    let head: Waiter | null = null;
    for (const w of ws) head = append(head, w);
    const w = ws.find((x) => x._value === gone)!;
    head = cut(head!, w);
    expect(values(head)).toEqual(rest);
    expect(backwards(head)).toEqual([...rest].reverse());
    expect(head!._value).toBe(rest[0]);
    expect([w._prev, w._next]).toEqual([null, null]);
  });

  test('cut of the last one: null, and the list can start again', () => {
    const [a, b] = named('a', 'b');
    expect(cut(append(null, a), a)).toBeNull();
    expect(values(append(append(null, b), a))).toEqual(['b', 'a']);
  });
});

describe('WaitQueue', () => {
  test('first in, first out; push parks the waiter in it, shift and remove take it out', () => {
    const holder = { what: 'a tasklet being joined' };
    const q = new WaitQueue(holder);
    const [a, b, c] = ['a', 'b', 'c'].map((v) => waiter(v, Op.Join));
    [a, b, c].forEach((w) => q.push(w));
    expect(q.length).toBe(3);
    expect([...q]).toEqual([a, b, c]);
    expect([a, b, c].map((w) => w._queue)).toEqual([q, q, q]);
    q.remove(b);
    expect(b._queue).toBeNull();
    expect(q.length).toBe(2);
    expect(q.shift()).toBe(a);
    expect(a._queue).toBeNull();
    expect(q.shift()).toBe(c);
    expect(q.shift()).toBeNull();
    expect(q.length).toBe(0);
    expect(q.head).toBeNull();
  });

  test('_push and _unlink (the Holder interface) are push and remove', () => {
    const q = new WaitQueue({});
    const [a, b] = [waiter('a'), waiter('b')];
    q._push(a);
    q._push(b);
    q._unlink(a);
    expect([...q]).toEqual([b]);
    expect([q.length, a._queue, b._queue]).toEqual([1, null, q]);
  });

  test("holderOf: what a parked waiter waits on — a wait queue's holder, or the channel itself; null once it has left", () => {
    const holder = { joined: true };
    const q = new WaitQueue(holder);
    const w = waiter();
    expect(holderOf(w)).toBeNull();
    q.push(w);
    expect(holderOf(w)).toBe(holder);
    q.remove(w);
    expect(holderOf(w)).toBeNull();
    const channelLike: Holder = { _push() {}, _unlink() {} };
    w._queue = channelLike;
    expect(holderOf(w)).toBe(channelLike);
  });
});

describe('signals', () => {
  test('handleEvent after the waiter left its queue does nothing', () => {
    const controller = new AbortController();
    const w = waiter();
    w._signal = controller.signal;
    controller.abort(new Error('late'));
    expect(() => w.handleEvent()).not.toThrow();
    expect([w._queue, w._failed, w._value]).toEqual([null, false, undefined]);
  });

  test("unlisten removes the listener from the signal's abort event", () => {
    const calls: unknown[][] = [];
    const signal = { aborted: false, addEventListener() {}, removeEventListener: (...args: unknown[]) => void calls.push(args) } as unknown as AbortSignal;
    const listener = { handleEvent() {} };
    unlisten(signal, listener);
    expect(calls).toEqual([['abort', listener]]);
  });

  test('unlisten never throws: the error of a removeEventListener that throws goes to a pending run()', async () => {
    const boom = new Error('removeEventListener failed');
    const signal = {
      aborted: false,
      addEventListener() {},
      removeEventListener() {
        throw boom;
      },
    } as unknown as AbortSignal;
    const sleeper = tasklet(() => sleep(20))(); // keeps run() pending meanwhile
    const pending = run();
    expect(() => unlisten(signal, { handleEvent() {} })).not.toThrow();
    expect(await outcome(pending)).toEqual(['error', boom]);
    await sleeper.join();
  });
});
