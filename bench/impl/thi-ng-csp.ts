/**
 * @thi.ng/csp: `channel()` has no rendezvous mode, so this uses its smallest buffer, one
 * slot (`await ch.write(v)` completes once the value is buffered); `await ch.read()`.
 */
import { channel, type Channel } from '@thi.ng/csp';
import { asyncPartyWorkloads } from './async-parties';

export const workloads = asyncPartyWorkloads<Channel<number>>({
  channel: () => channel<number>(1),
  send: (ch, value) => ch.write(value),
  receive: (ch) => ch.read() as Promise<number>,
});
