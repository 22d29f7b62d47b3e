/**
 * The bare-promise floor (absolute floor): receive is `await new Promise(r => waiter = r)`,
 * a send that finds its receiver resolves the waiter and is not awaited.
 */
import { asyncPartyWorkloads } from './async-parties';
import { FloorChannel } from './floor-channel';

export const workloads = asyncPartyWorkloads({
  channel: () => new FloorChannel<number>(),
  send: (ch, value) => ch.offer(value),
  receive: (ch) => ch.receive(),
});
