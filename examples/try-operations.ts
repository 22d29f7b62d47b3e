/**
 * `trySend` and `tryReceive` never park. `tryReceive` tells a received `undefined`
 * from "nothing now" and from "closed and drained".
 *
 *   npx tsx examples/try-operations.ts
 */
import { Channel } from '../lib/index';

export async function main(): Promise<void> {
  const ch = new Channel<string | undefined>({ capacity: 1 });
  console.log(ch.tryReceive()); // nothing now
  console.log(ch.trySend(undefined), ch.trySend('full')); // undefined is a value like any other
  console.log(ch.tryReceive());
  ch.close();
  console.log(ch.tryReceive()); // closed and drained

  // On a rendezvous channel trySend succeeds exactly when a receiver is parked.
  const handoff = new Channel<string>();
  console.log(handoff.trySend('early'));
  const receiving = handoff.receive(); // this code parks as a receiver...
  console.log(handoff.trySend('hi')); // ...so now there is someone to take it
  console.log(await receiving);
}

if (/try-operations\.ts$/.test(process.argv[1] ?? '')) void main();
