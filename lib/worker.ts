/**
 * tasklets/worker — the Node-only entry for channels across worker threads
 * (`node:worker_threads`): `share(channel)` in the channel's owner thread makes a handle
 * to pass to another thread, and `attach(handle)` there makes a `RemoteChannel` with
 * `send`, `sendThrow`, `receive`, `close` and `for await`; `pool(module, { workers })`
 * starts worker threads fed by a jobs channel, whose module calls `work(handler)`. Kept
 * out of the core so `tasklets` itself stays browser-safe; docs/worker.md says what holds
 * across threads.
 *
 * @module tasklets/worker
 */
export { RemoteReceiveCase, RemoteSendCase } from './worker/cases';
export { ChannelGoneError } from './worker/errors';
export { attach, RemoteChannel } from './worker/remote';
export type { RemoteOperationOptions, RemoteSendOptions } from './worker/options';
export { share } from './worker/share';
export type { SharedChannel } from './worker/share';
export { pool, Pool } from './worker/pool';
export type { PoolOptions } from './worker/pool-options';
export { JobError, WorkerCrashedError, WorkerError } from './worker/pool-errors';
export { work } from './worker/work';
export type { WorkContext } from './worker/work';
