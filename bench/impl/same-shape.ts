/**
 * The same-shape floor: the bare-promise channel, but every send is awaited, as users
 * write `await ch.send(v)`; a send that found its receiver returns a resolved promise.
 */
import { asyncPartyWorkloads } from './async-parties';
import { FloorChannel } from './floor-channel';

export const workloads = asyncPartyWorkloads({
  channel: () => new FloorChannel<number>(),
  send: (ch, value) => ch.send(value),
  receive: (ch) => ch.receive(),
});
