/**
 * tasklets/nats — the Node-only entry for channels across processes and machines, on a
 * NATS server: `natsChannel(connection, subject)` is a rendezvous channel whose `send`
 * completes once a receiver in some process has taken the value; with `{ capacity: N,
 * durable: true }` it is a buffered channel kept in a bounded JetStream stream. The NATS
 * client (`nats`) is a peer dependency: the program makes the connection. docs/nats.md
 * says what holds across a client crash, a server crash and a network drop.
 *
 * @module tasklets/nats
 */
import type { NatsConnection } from 'nats';
import { show } from './base/validate';
import { NatsChannel } from './nats/channel';
import { DurableNatsChannel } from './nats/durable';
import { isConnection } from './nats/link';
import { type NatsChannelOptions, settings } from './nats/options';
import { validSubject } from './nats/wire';

export { NatsChannel } from './nats/channel';
export { DurableNatsChannel } from './nats/durable';
export { NatsChannelError } from './nats/errors';
export type { NatsFailure } from './nats/errors';
export type { NatsChannelOptions, NatsOperationOptions } from './nats/options';

/**
 * A channel on `subject`, shared by every process that makes one on the same subject and
 * server. Rendezvous by default; `{ capacity: N, durable: true }` for a durable buffer in a
 * JetStream stream (a `DurableNatsChannel`).
 *
 * @example
 * ```ts
 * import { connect } from 'nats';
 * import { natsChannel } from 'tasklets/nats';
 * const nc = await connect({ servers: '127.0.0.1:4222' });
 * const jobs = natsChannel<number>(nc, 'jobs');
 * for await (const n of jobs) console.log('job', n); // until some process closes it
 * ```
 */
export function natsChannel<T>(connection: NatsConnection, subject: string, options: NatsChannelOptions & { capacity: number; durable: true | string }): DurableNatsChannel<T>;
export function natsChannel<T>(connection: NatsConnection, subject: string, options?: NatsChannelOptions): NatsChannel<T>;
export function natsChannel<T>(connection: NatsConnection, subject: string, options?: NatsChannelOptions): NatsChannel<T> | DurableNatsChannel<T> {
  if (!isConnection(connection)) throw new TypeError(`natsChannel(): connection must be a connection of the nats client (await connect(...)), received ${show(connection)}`);
  if (!validSubject(subject)) throw new TypeError(`natsChannel(): subject must be a NATS subject without wildcards or spaces, received ${show(subject)}`);
  return settings('natsChannel()', options).capacity > 0 ? new DurableNatsChannel<T>(connection, subject, options) : new NatsChannel<T>(connection, subject, options);
}
