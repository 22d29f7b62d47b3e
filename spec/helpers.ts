/**
 * Small helpers shared by the specs.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Channel, getRunCount, Tasklet, tasklet } from '../lib/index';
import { loopStats } from '../lib/inspect/invariants';
import { timerStats } from '../lib/core/loop';

/** Every capacity the semantic specs sweep: rendezvous, small, larger, unbounded. */
export const CAPACITIES = [0, 1, 2, 10, Infinity] as const;

/**
 * A log of numbered steps, so that a failing ordering spec says which step moved.
 *
 * @example
 * const { log, entries } = stepLog();
 * log('a'); log('b');
 * expect(entries).toEqual(steps('a', 'b')); // ['1. a', '2. b']
 */
export function stepLog(): { log: (step: string) => void; entries: string[] } {
  const entries: string[] = [];
  return { log: (step) => void entries.push(`${entries.length + 1}. ${step}`), entries };
}

/** The numbered form of the expected steps, to compare with `stepLog().entries`. */
export function steps(...names: string[]): string[] {
  return names.map((name, i) => `${i + 1}. ${name}`);
}

/** One turn of the host event loop (a macrotask): the run loop gets to run everything runnable. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets the loop run until no tasklet is runnable: every tasklet has finished, parked,
 * been paused, or is waiting outside the library.
 */
export async function idle(): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await macrotask();
    if (getRunCount() === 0) return;
  }
  throw new Error('idle(): tasklets still runnable after 1000 macrotasks');
}

/** What became of a promise, readable synchronously at any time. */
export interface Watched<T> {
  settled: boolean;
  fulfilled: boolean;
  value: T | undefined;
  error: unknown;
}

/** Watches `p` without leaving its rejection unhandled. */
export function watch<T>(p: Promise<T>): Watched<T> {
  const w: Watched<T> = { settled: false, fulfilled: false, value: undefined, error: undefined };
  p.then(
    (value) => Object.assign(w, { settled: true, fulfilled: true, value }),
    (error) => Object.assign(w, { settled: true, fulfilled: false, error }),
  );
  return w;
}

/** The error `fn` throws synchronously or its promise rejects with; fails if neither. */
export async function failure(fn: () => unknown): Promise<unknown> {
  let p: unknown;
  try {
    p = fn();
  } catch (e) {
    return e;
  }
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/**
 * Runs `spec/fixtures/<name>.ts` in a child Node process (through tsx) with `args`, and
 * parses the JSON line it prints. For what only a real process can observe, such as
 * the unhandled rejections Node reports.
 */
export function runFixture<T>(name: string, ...args: string[]): Promise<T> {
  const file = path.join(__dirname, 'fixtures', `${name}.ts`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', file, ...args], { cwd: path.join(__dirname, '..'), timeout: 10000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
    });
  });
}

/** Kills every tasklet given, and waits for each to finish unwinding. */
export async function killAll(...ts: Tasklet<any>[]): Promise<void> {
  for (const t of ts) await t.kill();
}

/** Runs `fn` in a new tasklet and resolves with its result (rejects with its error). */
export function inTasklet<R>(fn: () => Promise<R>): Promise<R> {
  return tasklet(fn)().join();
}

/** Receives `n` values in a tasklet. */
export function receiveN<T>(ch: Channel<T>, n: number): Promise<T[]> {
  return inTasklet(async () => {
    const got: T[] = [];
    for (let i = 0; i < n; i++) got.push(await ch.receive());
    return got;
  });
}

/** Receives everything until end-of-channel, in a tasklet, with `for await`. */
export function drain<T>(ch: Channel<T>): Promise<T[]> {
  return inTasklet(async () => {
    const got: T[] = [];
    for await (const v of ch) got.push(v);
    return got;
  });
}

/** Takes everything there is now with `tryReceive`. */
export function takeAll<T>(ch: Channel<T>): T[] {
  const got: T[] = [];
  for (let r = ch.tryReceive(); r.ok; r = ch.tryReceive()) got.push(r.value);
  return got;
}

// ---------------------------------------------------------------------------------
// Select, timers and the toolbox.

/** Lets the loop and the host run for a few macrotask turns. */
export async function settle(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await macrotask();
}

/** The host's live `setTimeout` timers (Node ≥ 17), or -1 where the host cannot tell. */
export function liveTimeouts(): number {
  const info = (process as { getActiveResourcesInfo?: () => string[] }).getActiveResourcesInfo;
  return typeof info === 'function' ? info().filter((r) => r === 'Timeout').length : -1;
}

/** Armed library timers and parked plain-code waiters: both 0 when nothing is left behind. */
export function leftovers(): { timers: number; parkedPlain: number } {
  return { timers: timerStats(), parkedPlain: loopStats().parkedPlain };
}

/** What `p` rejects with; fails if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
