/** async-channel: `new Channel(0)` (rendezvous), `await ch.push(v)`, `await ch.get()`. */
import { Channel } from 'async-channel';
import { asyncPartyWorkloads } from './async-parties';

export const workloads = asyncPartyWorkloads({
  channel: () => new Channel<number>(0),
  send: (ch, value) => ch.push(value),
  receive: (ch) => ch.get(),
});
