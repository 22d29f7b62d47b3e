/**
 * ts-chan: `new Chan(0)` (rendezvous), `await ch.send(v)`, `(await ch.recv()).value`,
 * with the library's default settings (its microtask-cycle mitigation on).
 */
import { Chan } from 'ts-chan';
import { asyncPartyWorkloads } from './async-parties';

export const workloads = asyncPartyWorkloads({
  channel: () => new Chan<number>(0),
  send: (ch, value) => ch.send(value),
  receive: (ch) => ch.recv(),
  unwrap: (received) => received.value as number,
});
