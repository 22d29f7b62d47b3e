/**
 * Type-level tests of the directional views: a `SendChannel<T>` only sends (and closes),
 * a `ReceiveChannel<T>` only receives; the send end is contravariant in T, the receive
 * end covariant, and a `Channel<T>` is both.
 */
import { Channel, type ReceiveChannel, type SendChannel, select } from '../../lib/index';
import { type Equal, expectType } from './expect';

export async function views(): Promise<void> {
  const ch = new Channel<number>();
  const out: SendChannel<number> = ch;
  const input: ReceiveChannel<number> = ch;

  await out.send(1);
  out.trySend(2);
  await out.sendSequence([3, 4]);
  out.close();
  const received = await input.receive();
  expectType<Equal<typeof received, number>>();
  for await (const v of input) expectType<Equal<typeof v, number>>();
  const got = input.tryReceive();
  if (got.ok) expectType<Equal<typeof got.value, number>>();
  expectType<Equal<typeof input.balance, number>>();
  expectType<Equal<typeof out.closing, boolean>>();

  // @ts-expect-error the send end has no receive()
  await out.receive();
  // @ts-expect-error the send end cannot be iterated
  for await (const v of out) void v;
  // @ts-expect-error the receive end has no send()
  await input.send(1);
  // @ts-expect-error the receive end cannot close: closing belongs to the sender (Go)
  input.close();
  // @ts-expect-error a view cannot reopen: open() stays with the whole Channel
  out.open();
  // @ts-expect-error a view is not a Channel
  const back: Channel<number> = input;
  void back;

  // Variance: a channel of numbers can stand for a sender of 1 | 2 and a receiver of number | string.
  const narrower: SendChannel<1 | 2> = out;
  const wider: ReceiveChannel<number | string> = input;
  // @ts-expect-error ...but not for a sender of strings
  const wrongOut: SendChannel<number | string> = out;
  // @ts-expect-error ...nor a receiver of 1 | 2
  const wrongIn: ReceiveChannel<1 | 2> = input;
  void [narrower, wider, wrongOut, wrongIn];

  // Views work in select: a receive case gives the view's T, a send case no value.
  const r = await select({ a: input.receiveCase(), b: out.sendCase(5) });
  if (r.key === 'a' && !r.done) expectType<Equal<typeof r.value, number>>();
  if (r.key === 'b') expectType<Equal<typeof r.value, undefined>>();
}
