/**
 * Cases for select (lib/channel/case.ts): a channel and a direction, and for a send the
 * value. A case is inert — building one changes nothing, and it does nothing until a
 * select commits to it — so one case can be built ahead and used in any number of
 * selects. The constructors are public (`ReceiveCase`, `SendCase` are exported) and
 * check nothing themselves: what is not a case of a real channel is refused by the
 * select it is given to, with a TypeError naming the key and the value received.
 */
import { Channel, ReceiveCase, select, SendCase, tasklet, trySelect } from '../../lib/index';
import { idle } from '../helpers';

test('receiveCase() is a ReceiveCase of that channel; sendCase(v) a SendCase of that channel and value', () => {
  const ch = new Channel<{ n: number }>();
  const value = { n: 1 };
  const r = ch.receiveCase();
  const s = ch.sendCase(value);
  expect(r).toBeInstanceOf(ReceiveCase);
  expect(r).not.toBeInstanceOf(SendCase);
  expect(r.channel).toBe(ch);
  expect(s).toBeInstanceOf(SendCase);
  expect(s).not.toBeInstanceOf(ReceiveCase);
  expect(s.channel).toBe(ch);
  expect(s.value).toBe(value); // the value itself, not a copy
  expect([r._send, s._send]).toEqual([false, true]);
});

test('each call makes a new case', () => {
  const ch = new Channel<number>();
  expect(ch.receiveCase()).not.toBe(ch.receiveCase());
  expect(ch.sendCase(1)).not.toBe(ch.sendCase(1));
});

test('building cases changes nothing: no party is parked, a trySend still finds no receiver', () => {
  const ch = new Channel<number>({ name: 'rendezvous' });
  const cases = { r: ch.receiveCase(), s: ch.sendCase(1), t: new ReceiveCase(ch), u: new SendCase(ch, 2) };
  expect(Object.keys(cases)).toHaveLength(4);
  expect(ch.balance).toBe(0);
  expect(ch.trySend(5)).toBe(false);
  expect(ch.tryReceive()).toEqual({ ok: false, closed: false });
});

test('one case used in several selects: a receive case receives each time, a send case sends its value each time', async () => {
  const ch = new Channel<string>({ capacity: Infinity });
  const send = ch.sendCase('again');
  const receive = ch.receiveCase();
  expect(trySelect({ send })).toEqual({ key: 'send', value: undefined, done: false });
  expect(trySelect({ send })).toEqual({ key: 'send', value: undefined, done: false });
  expect(ch.length).toBe(2);
  expect(trySelect({ receive })).toEqual({ key: 'receive', value: 'again', done: false });
  expect(await select({ receive })).toEqual({ key: 'receive', value: 'again', done: false });
  expect(trySelect({ receive })).toBeNull();
});

test('a case a select did not take can be used by the next select', async () => {
  const a = new Channel<number>({ name: 'a' });
  const b = new Channel<number>({ name: 'b' });
  const fromA = a.receiveCase();
  const fromB = b.receiveCase();
  const chooser = tasklet(async () => [await select({ fromA, fromB }), await select({ fromA, fromB })])();
  await idle();
  expect(b.trySend(1)).toBe(true); // the first select takes fromB; fromA leaves a's queue
  await idle();
  expect(a.balance).toBe(-1); // the second select parked fromA again (and fromB)
  expect(a.trySend(2)).toBe(true);
  expect(await chooser.join()).toEqual([
    { key: 'fromB', value: 1, done: false },
    { key: 'fromA', value: 2, done: false },
  ]);
  expect([a.balance, b.balance]).toEqual([0, 0]);
});

test('cases built with the public constructors work as the channel-made ones do', async () => {
  const ch = new Channel<number>({ capacity: 1 });
  expect(trySelect({ put: new SendCase(ch, 9) })).toEqual({ key: 'put', value: undefined, done: false });
  expect(await select({ take: new ReceiveCase(ch) })).toEqual({ key: 'take', value: 9, done: false });
});

describe('what is not a case of a real channel is refused by the select, naming the key and the value', () => {
  const ch = new Channel<number>({ capacity: 1 });
  test.each<[string, unknown, string]>([
    ['a ReceiveCase of a non-channel', new ReceiveCase({} as never), 'an instance of ReceiveCase'],
    ['a SendCase of a non-channel', new SendCase(null as never, 1), 'an instance of SendCase'],
    ['a look-alike receive case', { channel: ch, _send: false }, 'an object'],
    ['a look-alike send case', { channel: ch, _send: true, value: 1 }, 'an object'],
    ['a channel instead of its case', ch, 'an instance of Channel'],
  ])('%s', (_what, c, shown) => {
    const message = `case "x" must come from channel.receiveCase() or channel.sendCase(value), received ${shown}`;
    expect(() => trySelect({ x: c } as never)).toThrow(TypeError);
    expect(() => trySelect({ x: c } as never)).toThrow(`trySelect(): ${message}`);
    expect(() => select({ ok: ch.receiveCase(), x: c } as never)).toThrow(`select(): ${message}`);
    expect(ch.balance).toBe(0); // refused before anything was parked
  });
});
