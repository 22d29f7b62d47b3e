/** medium: unbuffered `chan()`, `await put(ch, v)`, `await take(ch)`; parties are async functions. */
import { chan, put, take } from 'medium';
import { asyncPartyWorkloads } from './async-parties';

export const workloads = asyncPartyWorkloads({
  channel: () => chan<number>(),
  send: (ch, value) => put(ch, value),
  receive: (ch) => take(ch),
});
