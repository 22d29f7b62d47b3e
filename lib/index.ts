/**
 * tasklets — Stackless Python's tasklets and channels for TypeScript.
 * This file only re-exports; each concept lives in its own file.
 *
 * @module tasklets
 */
export { Channel } from './channel/channel';
export type { ChannelOptions, OperationOptions, SequencePromise, TryReceiveResult } from './channel/channel';
export type { ReceiveChannel, SendChannel } from './channel/directional';
export { ChannelClosedError, TaskletExit, TimeoutError } from './base/errors';
export { DeadlockError } from './run/deadlock-error';
export { getCurrent, getRunCount, run, schedule } from './run/run';
export { Tasklet, tasklet } from './core/tasklet';
export type { TaskletOptions } from './core/tasklet';
export { ReceiveCase, SendCase } from './channel/case';
export type { Case, RemoteCase } from './channel/case';
export { select, trySelect } from './select/select';
export type { CaseResult, Cases, SelectOptions, SelectResult, TrySelectOptions } from './select/select';
export { after, AfterChannel, sleep, timeoutSignal } from './time/timers';
export { setRandomSeed } from './select/random';
export * from './toolbox/index';
export { getChannelCallback, getScheduleCallback, setChannelCallback, setScheduleCallback } from './inspect/callbacks';
export type { ChannelCallback, ScheduleCallback } from './inspect/callbacks';
export { getDebug, setDebug } from './inspect/debug';
export type { DebugOptions } from './inspect/debug';
export type { ChannelInfo, DeadlockReport, ParkedInfo, PartyInfo, WaitEdge, WaitInfo } from './run/report';
export { snapshot } from './inspect/snapshot';
export type { ChannelSnapshot, Snapshot, TaskletSnapshot } from './inspect/snapshot';
export { recordStatistics, statistics } from './inspect/stats';
export type { ChannelStatistics } from './inspect/stats';
export { startTrace, Trace } from './inspect/trace';
export type { ChromeTrace, TraceEvent, TraceOptions } from './inspect/trace';
export { traceToSvg } from './inspect/trace-svg';
export type { SvgOptions } from './inspect/trace-svg';
export { startWatchdog } from './inspect/watchdog';
export type { Overrun, WatchdogOptions } from './inspect/watchdog';
export { recordDecisions, replayDecisions } from './inspect/decisions';
export type { Decision, DecisionRecording, DecisionReplay, DecisionSource } from './inspect/decisions';
