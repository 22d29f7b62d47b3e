/**
 * tasklets — Stackless Python's tasklets and channels for TypeScript.
 * This file only re-exports; each concept lives in its own file.
 *
 * @module tasklets
 */
export { Channel } from './channel';
export type { ChannelOptions, OperationOptions, TryReceiveResult } from './channel';
export type { ReceiveChannel, SendChannel } from './directional';
export { ChannelClosedError, DeadlockError, TaskletExit, TimeoutError } from './errors';
export { getCurrent, getRunCount, run, schedule } from './loop';
export { Tasklet, tasklet } from './tasklet';
export type { TaskletOptions } from './tasklet';
export { ReceiveCase, SendCase } from './case';
export type { Case } from './case';
export { select, trySelect } from './select';
export type { Cases, SelectOptions, SelectResult, TrySelectOptions } from './select';
export { after, AfterChannel, sleep } from './timers';
export { setRandomSeed } from './random';
export * from './toolbox/index';
