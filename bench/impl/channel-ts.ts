/**
 * channel-ts: `SimpleChannel` is an unbounded queue with no blocking send, so a send is
 * `ch.send(v)`, not awaited (there is nothing to await); `await ch.receive()`.
 */
import { SimpleChannel } from 'channel-ts';
import { asyncPartyWorkloads } from './async-parties';

export const workloads = asyncPartyWorkloads({
  channel: () => new SimpleChannel<number>(),
  send: (ch, value) => ch.send(value),
  receive: (ch) => ch.receive(),
});
