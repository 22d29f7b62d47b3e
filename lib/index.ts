/**
 * tasklets — Stackless Python's tasklets and channels for TypeScript.
 * This file only re-exports; each concept lives in its own file.
 *
 * @module tasklets
 */
export { Channel } from './channel';
export type { ChannelOptions, OperationOptions, SequencePromise, TryReceiveResult } from './channel';
export type { ReceiveChannel, SendChannel } from './directional';
export { ChannelClosedError, DeadlockError, TaskletExit, TimeoutError } from './errors';
export { getCurrent, getRunCount, run, schedule } from './run';
export { Tasklet, tasklet } from './tasklet';
export type { TaskletOptions } from './tasklet';
export { ReceiveCase, SendCase } from './case';
export type { Case } from './case';
export { select, trySelect } from './select';
export type { CaseResult, Cases, SelectOptions, SelectResult, TrySelectOptions } from './select';
export { after, AfterChannel, sleep, timeoutSignal } from './timers';
export { setRandomSeed } from './random';
export * from './toolbox/index';
export { getChannelCallback, getScheduleCallback, setChannelCallback, setScheduleCallback } from './hooks';
export type { ChannelCallback, ScheduleCallback } from './hooks';
export { getDebug, setDebug } from './debug';
export type { DebugOptions } from './debug';
export type { ChannelInfo, DeadlockReport, ParkedInfo, PartyInfo, WaitEdge, WaitInfo } from './report';
export { snapshot } from './snapshot';
export type { ChannelSnapshot, Snapshot, TaskletSnapshot } from './snapshot';
export { recordStatistics, statistics } from './stats';
export type { ChannelStatistics } from './stats';
export { startTrace, Trace } from './trace';
export type { ChromeTrace, TraceEvent, TraceOptions } from './trace';
export { traceToSvg } from './trace-svg';
export type { SvgOptions } from './trace-svg';
export { startWatchdog } from './watchdog';
export type { Overrun, WatchdogOptions } from './watchdog';
export { recordDecisions, replayDecisions } from './decisions';
export type { Decision, DecisionRecording, DecisionReplay, DecisionSource } from './decisions';
