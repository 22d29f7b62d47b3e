/**
 * Rendezvous and buffered channels side by side, then unbounded and dropping ones.
 *
 *   npx tsx examples/buffered.ts
 */
import { Channel } from '../lib/index';

export async function main(): Promise<void> {
  // Capacity 0 (the default): a send completes only when a receiver takes the value.
  const rendezvous = new Channel<number>();
  console.log(`rendezvous trySend: ${rendezvous.trySend(1)}`); // nobody is receiving

  // Capacity 2: sends complete at once while the buffer has room.
  const buffered = new Channel<number>({ capacity: 2 });
  console.log(`buffered trySend: ${buffered.trySend(1)} ${buffered.trySend(2)} ${buffered.trySend(3)}`);
  const sending = buffered.send(3); // the buffer is full: this send parks
  console.log(`length ${buffered.length}, capacity ${buffered.capacity}, balance ${buffered.balance}`);
  console.log(`received ${await buffered.receive()}`); // 1; the parked 3 takes the free slot
  await sending;
  console.log(`length ${buffered.length}, balance ${buffered.balance}`);

  // Capacity Infinity: a send never parks.
  const unbounded = new Channel<number>({ capacity: Infinity });
  for (let i = 0; i < 100_000; i++) await unbounded.send(i);
  console.log(`unbounded length ${unbounded.length}`);

  // Dropping channels never park a sender either; a full buffer loses a value instead.
  for (const overflow of ['dropOldest', 'dropNewest'] as const) {
    const ch = new Channel<number>({ capacity: 3, overflow });
    for (let i = 1; i <= 5; i++) await ch.send(i);
    const kept: number[] = [];
    for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) kept.push(r.value);
    console.log(`${overflow} kept ${kept.join(' ')}`);
  }
}

if (/buffered\.ts$/.test(process.argv[1] ?? '')) void main();
