/**
 * What a person sees in a terminal: `util.inspect` (so `console.log`, and Node's report
 * of an uncaught error) shows tasklets, channels and deadlocks as a line or a report,
 * not as the library's internal records (issue 13, part 5).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { Channel, DeadlockError, run, schedule, select, tasklet } from '../lib/index';
import { idle, killAll, rejection, settle } from './helpers';

const lines = (text: string): number => text.trimEnd().split('\n').length;

/** Runs spec/fixtures/uncaught-deadlock.ts with `n` parked tasklets; resolves with its exit code and stderr. */
function uncaughtDeadlock(n: number): Promise<{ code: number | null; stderr: string }> {
  const file = path.join(__dirname, 'fixtures', 'uncaught-deadlock.ts');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file, String(n)], { cwd: path.join(__dirname, '..'), timeout: 10000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stderr });
    });
  });
}

describe('an uncaught DeadlockError, as Node prints it', () => {
  // Before: 85 lines for one parked tasklet and 2,411 for ten (every Tasklet, Waiter,
  // WaitQueue and Channel field, to depth 5). Now: Node's frame, the report, its version.
  for (const n of [1, 10]) {
    it(`prints at most a few lines per party with ${n} parked tasklet${n === 1 ? '' : 's'}`, async () => {
      const { code, stderr } = await uncaughtDeadlock(n);
      expect(code).toBe(1);
      expect(stderr).toContain(`DeadlockError: deadlock: ${n} tasklet${n === 1 ? '' : 's'} parked and nothing runnable`);
      for (let i = 0; i < n; i++) expect(stderr).toContain(`tasklet "worker ${i}" (#${i + 1}) receives on channel "jobs" (balance -${n})`);
      expect(stderr).not.toMatch(/_waiter|WaitQueue|Waiter|_recvq/);
      // The error's own part (from its name to Node's version line) is the report; the whole of stderr adds Node's few lines.
      const own = stderr.slice(stderr.indexOf('DeadlockError'), stderr.indexOf('Node.js v'));
      expect(lines(own)).toBeLessThanOrEqual(3 + 2 * n);
      expect(lines(stderr)).toBeLessThanOrEqual(8 + 2 * n);
    });
  }
});

describe('util.inspect', () => {
  it('shows a DeadlockError as its message, the report, and keeps .tasklets and .report for code', async () => {
    const jobs = new Channel<number>({ name: 'jobs' });
    const ts = [1, 2, 3].map((i) => tasklet(async () => void (await jobs.receive()), { name: `w${i}` })());
    const e: DeadlockError = await rejection(run());
    expect(e).toBeInstanceOf(DeadlockError);
    expect(e.tasklets).toEqual(ts);
    expect(e.report?.parked).toHaveLength(3);
    const text = inspect(e);
    expect(text).toBe(`DeadlockError: ${e.message}`);
    expect(lines(text)).toBe(4);
    // Nested in an object, past the depth: its first line, the way Node abbreviates.
    expect(inspect({ a: { e } }, { depth: 0 })).toBe('{ a: [Object] }');
    expect(inspect({ e }, { depth: -1 })).toBe('[Object]');
    expect(inspect([e], { depth: 0 })).toContain('DeadlockError: deadlock: 3 tasklets parked');
    await killAll(...ts);
  });

  it('shows a tasklet as one line: its name, id and state', async () => {
    const jobs = new Channel<number>({ name: 'jobs' });
    const out = new Channel<number>({ name: 'out' });
    const receiver = tasklet(async () => void (await jobs.receive()), { name: 'receiver' })();
    const sender = tasklet(async () => out.send(1), { name: 'sender' })();
    const selector = tasklet(async () => select({ a: jobs.receiveCase(), b: out.sendCase(2) }), { name: 'selector' })();
    const joiner = tasklet(async () => receiver.join(), { name: 'joiner' })();
    const spinner = tasklet(
      async () => {
        for (;;) await schedule();
      },
      { name: 'spinner' },
    )();
    let seenRunning = '';
    const self = tasklet(
      async () => {
        seenRunning = inspect(self);
      },
      { name: 'self' },
    )();
    expect(inspect(receiver)).toBe(`Tasklet "receiver" #${receiver.id} (runnable, not started)`);
    await settle();
    spinner.remove(); // the spinner is runnable whenever plain code runs
    expect(inspect(receiver)).toBe(`Tasklet "receiver" #${receiver.id} (blocked: receives on channel "jobs")`);
    expect(inspect(sender)).toBe(`Tasklet "sender" #${sender.id} (blocked: sends on channel "out")`);
    expect(inspect(selector)).toBe(`Tasklet "selector" #${selector.id} (blocked: selects: receives on channel "jobs", sends on channel "out")`);
    expect(inspect(joiner)).toBe(`Tasklet "joiner" #${joiner.id} (blocked: waits for tasklet "receiver" (#${receiver.id}))`);
    expect(inspect(spinner)).toBe(`Tasklet "spinner" #${spinner.id} (paused)`);
    expect(seenRunning).toBe(`Tasklet "self" #${self.id} (running)`);
    expect(inspect(self)).toBe(`Tasklet "self" #${self.id} (finished)`);
    // Objects that contain tasklets: one line each, nothing internal.
    const all = [receiver, sender, selector, joiner, spinner, self];
    const text = inspect(all);
    expect(lines(text)).toBe(all.length + 2);
    expect(text).not.toMatch(/_waiter|Waiter|WaitQueue|_prev|_spare/);
    expect(inspect({ t: receiver })).toBe(`{ t: Tasklet "receiver" #${receiver.id} (blocked: receives on channel "jobs") }`);
    // Colours: Node's stylize colours the parts, the state stays plain.
    expect(inspect(receiver, { colors: true })).toBe(`\x1b[36mTasklet\x1b[39m \x1b[32m"receiver"\x1b[39m \x1b[33m#${receiver.id}\x1b[39m (blocked: receives on channel "jobs")`);
    spinner.insert();
    await killAll(receiver, sender, selector, joiner, spinner);
    expect(inspect(receiver)).toBe(`Tasklet "receiver" #${receiver.id} (finished)`);
    const failing = tasklet(
      async () => {
        throw new Error('boom');
      },
      { name: 'failing' },
    )();
    await rejection(failing.join());
    expect(inspect(failing)).toBe(`Tasklet "failing" #${failing.id} (failed)`);
  });

  it('shows a tasklet that awaits something outside the library', async () => {
    let release!: () => void;
    const t = tasklet(
      async () => {
        await new Promise<void>((r) => (release = r));
      },
      { name: 'outside' },
    )();
    await idle();
    expect(inspect(t)).toBe(`Tasklet "outside" #${t.id} (waiting outside the library)`);
    release();
    await t.join();
  });

  it('shows a channel as its name, capacity, balance and length', async () => {
    const jobs = new Channel<number>({ name: 'jobs' });
    const ts = [1, 2].map(() => tasklet(async () => void (await jobs.receive()))());
    await idle();
    expect(inspect(jobs)).toBe('Channel "jobs" { capacity: 0, balance: -2, length: 0 }');
    const buffered = new Channel<number>({ name: 'buffered', capacity: Infinity });
    buffered.trySend(1);
    buffered.trySend(2);
    buffered.close();
    expect(inspect(buffered)).toBe('Channel "buffered" { capacity: Infinity, balance: 0, length: 2, closing: true }');
    expect(inspect({ ch: jobs })).toBe('{ ch: Channel "jobs" { capacity: 0, balance: -2, length: 0 } }');
    expect(inspect([jobs, buffered])).not.toMatch(/_sendq|_recvq|WaitQueue|Waiter|given|serial/);
    // Past the depth: its name only. Colours come from the `inspect` Node passes.
    expect(inspect({ a: { ch: jobs } }, { depth: 0 })).toBe('{ a: [Object] }');
    expect(inspect({ ch: jobs }, { depth: -1 })).toBe('[Object]');
    expect(inspect([[jobs]], { depth: 0 })).toBe('[ [Array] ]');
    expect(inspect({ ch: jobs }, { depth: 0 })).toBe('{ ch: [Channel "jobs"] }');
    expect(inspect(jobs, { colors: true })).toBe(
      '\x1b[36mChannel\x1b[39m \x1b[32m"jobs"\x1b[39m { capacity: \x1b[33m0\x1b[39m, balance: \x1b[33m-2\x1b[39m, length: \x1b[33m0\x1b[39m }',
    );
    await killAll(...ts);
    expect(inspect(jobs)).toBe('Channel "jobs" { capacity: 0, balance: 0, length: 0 }');
  });
});
