/**
 * Property: tasklets doing channel operations and selects, in any interleaving that
 * fast-check picks, behave as a small sequential reference model of SPEC.md says.
 *
 * How fast-check chooses the interleaving without a hook in the run loop: each actor
 * tasklet waits on its own control channel before each of its steps. A step of the
 * generated program names an actor and an operation; the test hands the operation to
 * that actor (if it is idle — waiting on its control channel) and lets the loop run
 * until nothing is runnable. Other steps kill an actor, abort its parked operation, or
 * close or reopen a channel. So fast-check decides which tasklet issues its next
 * operation, and in which order parked operations meet their partners.
 *
 * After every step:
 *  - every actor's outcomes so far (`sent`, `got <tag>`, `r1:done`, `aborted`, …) are
 *    the model's: parked senders and receivers served first come, first served,
 *    buffered and parked-sender values before end-of-channel, close waking every
 *    parked receiver, a cancelled or killed operation leaving no trace;
 *  - `balance`, `length`, `closing`, `closed` of every channel are the model's;
 *  - nothing received twice, nothing received whose send failed, per-sender FIFO, and
 *    values sent successfully = values received + values in the buffers;
 *  - the run loop's structural invariants hold (`assertLoopInvariants`).
 * At the end `run()` rejects with `DeadlockError` while actors are parked (it never
 * hangs), and after close and drain it resolves: every value sent successfully was
 * received exactly once.
 *
 * A failure prints the shrunk program as a numbered history. `FC_RUNS=n` sets the
 * number of programs (500; 10,000 under `STRESS=1`).
 */
import fc from 'fast-check';
import { Channel, ChannelClosedError, DeadlockError, run, setRandomSeed, type Case, select, type Tasklet, tasklet, TaskletExit, trySelect } from '../../lib/index';
import { assertLoopInvariants } from '../../lib/inspect/invariants';
import { idle, macrotask } from '../helpers';

/** `STRESS=1`: many more programs, and the time they need. */
const STRESS = !!process.env.STRESS && process.env.STRESS !== '0';

const ACTORS = 3;
const CHANNELS = 2;

// ---------------------------------------------------------------------------------
// Programs

type Signal = 'live' | 'aborted';
type CaseSpec = { dir: 's' | 'r'; ch: number };
type Op =
  | { t: 'send' | 'sendThrow' | 'receive'; ch: number; signal: Signal }
  | { t: 'trySend' | 'tryReceive'; ch: number }
  | { t: 'select'; cases: CaseSpec[]; priority: boolean; signal: Signal }
  | { t: 'trySelect'; cases: CaseSpec[]; priority: boolean };
type Step = { t: 'op'; actor: number; op: Op } | { t: 'kill' | 'abort'; actor: number } | { t: 'close' | 'open'; ch: number };

const chArb = fc.nat(CHANNELS - 1);
const signalArb = fc.constantFrom<Signal>('live', 'live', 'live', 'aborted');
const casesArb = fc.array(fc.record({ dir: fc.constantFrom<'s' | 'r'>('s', 'r'), ch: chArb }), { minLength: 1, maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('send' as const, 'receive' as const), ch: chArb, signal: signalArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('sendThrow' as const), ch: chArb, signal: signalArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('trySend' as const, 'tryReceive' as const), ch: chArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('select' as const), cases: casesArb, priority: fc.boolean(), signal: signalArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('trySelect' as const), cases: casesArb, priority: fc.boolean() }) },
);
const actorArb = fc.nat(ACTORS - 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('op' as const), actor: actorArb, op: opArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kill' as const), actor: actorArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('abort' as const), actor: actorArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('close' as const, 'open' as const), ch: chArb }) },
);
const capacityArb = fc.constantFrom(0, 1, 2, 5, Infinity);

// ---------------------------------------------------------------------------------
// The reference model

/** A value or a sendThrow'd error, tagged `c<channel>:a<actor>.<seq>`. */
interface Item {
  tag: string;
  thrown: boolean;
}
/** A parked party in a wait queue: a send or receive, or one case of a select. */
interface MWaiter {
  actor: number;
  ch: number;
  item?: Item; // what a sender offers
  sel?: MSelect;
  key?: string;
}
interface MSelect {
  actor: number;
  waiters: MWaiter[];
}
interface MChan {
  cap: number;
  buffer: Item[];
  sendq: MWaiter[];
  recvq: MWaiter[];
  closing: boolean;
}

class Model {
  chans: MChan[];
  /** Each actor's outcomes, in order. */
  expected: string[][] = Array.from({ length: ACTORS }, () => []);
  state: ('idle' | 'parked' | 'dead')[] = Array(ACTORS).fill('idle');
  /** The waiters of each actor's parked operation. */
  parked: MWaiter[][] = Array.from({ length: ACTORS }, () => []);

  constructor(caps: number[]) {
    this.chans = caps.map((cap) => ({ cap, buffer: [], sendq: [], recvq: [], closing: false }));
  }

  private done(actor: number, outcome: string): void {
    this.expected[actor].push(outcome);
    this.state[actor] = 'idle';
    this.parked[actor] = [];
  }

  /** Takes every waiter of `actor` off its queue. */
  private withdraw(actor: number): void {
    for (const w of this.parked[actor]) {
      const c = this.chans[w.ch];
      for (const q of [c.sendq, c.recvq]) {
        const i = q.indexOf(w);
        if (i >= 0) q.splice(i, 1);
      }
    }
    this.parked[actor] = [];
  }

  private settle(w: MWaiter, outcome: string): void {
    this.withdraw(w.actor);
    this.done(w.actor, outcome);
  }

  /** Parked receiver `r` gets `item`. */
  private serve(r: MWaiter, item: Item): void {
    if (item.thrown) this.settle(r, `threw ${item.tag}`);
    else this.settle(r, r.sel ? `${r.key}:got ${item.tag}` : `got ${item.tag}`);
  }

  /** Parked sender `s` has given its value. */
  private served(s: MWaiter): void {
    this.settle(s, s.sel ? `${s.key}:sent` : 'sent');
  }

  /** The non-parking send: its outcome, or null if it would park. */
  trySend(ch: number, item: Item): string | null {
    const c = this.chans[ch];
    if (c.closing) return `closed ${item.tag}`;
    const r = c.recvq.shift();
    if (r) {
      this.serve(r, item);
      return 'sent';
    }
    if (c.buffer.length < c.cap) {
      c.buffer.push(item);
      return 'sent';
    }
    return null;
  }

  /** The non-parking receive: the item taken (refilling the buffer from the oldest sender), or null. */
  take(ch: number): Item | null {
    const c = this.chans[ch];
    const s = c.sendq.shift();
    if (c.buffer.length > 0) {
      const item = c.buffer.shift()!;
      if (s) {
        c.buffer.push(s.item!);
        this.served(s);
      }
      return item;
    }
    if (!s) return null;
    this.served(s);
    return s.item!;
  }

  /**
   * A parked select joins a queue that several of its cases share in a random order (as
   * Go's does; lib/select/select.ts), so the model takes the order the real one chose: real
   * case waiter `i` (its select's `waiters[i]`) is the model's case `i`.
   */
  adoptOrder(actor: number, owner: Tasklet, real: Channel<string>[]): void {
    const mine = this.parked[actor];
    const sel = mine[0]?.sel;
    if (sel === undefined) return;
    this.chans.forEach((c, ch) => {
      for (const sending of [true, false]) {
        const q = sending ? c.sendq : c.recvq;
        const slots = q.flatMap((w, i) => (w.sel === sel ? [i] : []));
        if (slots.length < 2) continue;
        const order: MWaiter[] = [];
        for (const w of real[ch]._waiters(sending)) {
          if (w._owner === owner && w._select !== null) order.push(mine[(w._select as unknown as { waiters: unknown[] }).waiters.indexOf(w)]);
        }
        slots.forEach((slot, j) => (q[slot] = order[j]));
      }
    });
  }

  park(actor: number, ws: MWaiter[]): void {
    for (const w of ws) (w.item ? this.chans[w.ch].sendq : this.chans[w.ch].recvq).push(w);
    this.parked[actor] = ws;
    this.state[actor] = 'parked';
  }

  canSend(ch: number): boolean {
    const c = this.chans[ch];
    return c.closing || c.recvq.length > 0 || c.buffer.length < c.cap;
  }

  canReceive(ch: number): boolean {
    const c = this.chans[ch];
    return c.buffer.length > 0 || c.sendq.length > 0 || c.closing;
  }

  /** What completing ready case `key` now would give, without doing it. */
  caseOutcome(key: string, cs: CaseSpec, item: Item | undefined): string {
    const c = this.chans[cs.ch];
    if (cs.dir === 's') return c.closing ? `closed ${item!.tag}` : `${key}:sent`;
    const head = c.buffer[0] ?? c.sendq[0]?.item;
    if (head) return head.thrown ? `threw ${head.tag}` : `${key}:got ${head.tag}`;
    return `${key}:done`;
  }

  /** Completes ready case `key` (as trySend / tryReceive do); returns its outcome. */
  commitCase(key: string, cs: CaseSpec, item: Item | undefined): string {
    if (cs.dir === 's') {
      const out = this.trySend(cs.ch, item!)!;
      return out === 'sent' ? `${key}:sent` : out;
    }
    const got = this.take(cs.ch);
    if (got) return got.thrown ? `threw ${got.tag}` : `${key}:got ${got.tag}`;
    return `${key}:done`;
  }

  close(ch: number): void {
    const c = this.chans[ch];
    if (c.closing) return;
    c.closing = true;
    // Withdrawing a select may take its sibling out of this very queue: shift one by one.
    for (let r = c.recvq.shift(); r; r = c.recvq.shift()) this.settle(r, r.sel ? `${r.key}:done` : 'eoc');
  }

  open(ch: number): void {
    this.chans[ch].closing = false;
  }

  abort(actor: number): boolean {
    if (this.state[actor] !== 'parked') return false;
    this.withdraw(actor);
    this.done(actor, 'aborted');
    return true;
  }

  kill(actor: number): boolean {
    if (this.state[actor] === 'dead') return false;
    this.withdraw(actor);
    this.expected[actor].push('killed');
    this.state[actor] = 'dead';
    return true;
  }

  view(ch: number): { balance: number; length: number; closing: boolean; closed: boolean } {
    const c = this.chans[ch];
    return {
      balance: c.sendq.length - c.recvq.length,
      length: c.buffer.length,
      closing: c.closing,
      closed: c.closing && c.buffer.length === 0 && c.sendq.length === 0,
    };
  }
}

// ---------------------------------------------------------------------------------
// The real system

/** What an actor is told to do; `items` are the values it offers, in case order. */
interface Command {
  op: Op;
  items: (Item | undefined)[];
  ac: AbortController;
}

const tagOf = (v: unknown): string => (v instanceof Error ? v.message : String(v));

/** Runs one operation in the actor and describes its outcome as the model does. */
async function perform(chans: Channel<string>[], cmd: Command): Promise<string> {
  const { op, items, ac } = cmd;
  if ('signal' in op && op.signal === 'aborted') ac.abort('aborted');
  const signal = ac.signal;
  try {
    switch (op.t) {
      case 'send':
        await chans[op.ch].send(items[0]!.tag, { signal });
        return 'sent';
      case 'sendThrow':
        await chans[op.ch].sendThrow(new Error(items[0]!.tag), { signal });
        return 'sent';
      case 'receive':
        return `got ${await chans[op.ch].receive({ signal })}`;
      case 'trySend':
        return chans[op.ch].trySend(items[0]!.tag) ? 'sent' : 'false';
      case 'tryReceive': {
        const r = chans[op.ch].tryReceive();
        return r.ok ? `got ${r.value}` : r.closed ? 'drained' : 'empty';
      }
      case 'select':
      case 'trySelect': {
        const cases: Record<string, Case<string>> = {};
        op.cases.forEach((c, i) => (cases[`${c.dir}${i}`] = c.dir === 's' ? chans[c.ch].sendCase(items[i]!.tag) : chans[c.ch].receiveCase()));
        const r = op.t === 'select' ? await select(cases, { signal, priority: op.priority }) : trySelect(cases, { priority: op.priority });
        if (r === null) return 'none';
        return r.key[0] === 's' ? `${r.key}:sent` : r.done ? `${r.key}:done` : `${r.key}:got ${r.value}`;
      }
    }
  } catch (e) {
    if (e instanceof TaskletExit) throw e;
    if (e === 'aborted') return 'aborted';
    if (e instanceof ChannelClosedError) return e.hasValue ? `closed ${tagOf(e.value)}` : 'eoc';
    if (e instanceof Error) return `threw ${e.message}`;
    return `threw ${String(e)}`;
  }
}

function describeStep(s: Step): string {
  if (s.t === 'op') {
    const o = s.op;
    const args = o.t === 'select' || o.t === 'trySelect' ? o.cases.map((c, i) => `${c.dir}${i}:c${c.ch}`).join(' ') + (o.priority ? ' priority' : '') : `c${o.ch}`;
    return `a${s.actor} ${o.t}(${args})${'signal' in o && o.signal === 'aborted' ? ' pre-aborted' : ''}`;
  }
  return 'ch' in s ? `${s.t} c${s.ch}` : `${s.t} a${s.actor}`;
}

async function check(caps: number[], seed: number, program: Step[], actors: Tasklet<void>[]): Promise<void> {
  setRandomSeed(seed);
  const model = new Model(caps);
  const chans = caps.map((capacity, i) => new Channel<string>({ capacity, name: `c${i}` }));
  const ctl = Array.from({ length: ACTORS }, (_, i) => new Channel<Command>({ name: `ctl${i}` }));
  const log: string[][] = Array.from({ length: ACTORS }, () => []);
  const commands: Command[][] = Array.from({ length: ACTORS }, () => []);
  /** Values received, in the order received (one per step at most). */
  const received: string[] = [];
  const history: string[] = [`capacities ${caps.map((c, i) => `c${i}=${c}`).join(' ')}, seed ${seed}`];
  let seq = 0;

  for (let i = 0; i < ACTORS; i++) {
    actors.push(
      tasklet(
        async () => {
          try {
            for (;;) {
              let cmd: Command;
              try {
                cmd = await ctl[i].receive();
              } catch (e) {
                if (e instanceof ChannelClosedError) return;
                throw e;
              }
              const outcome = await perform(chans, cmd);
              const m = /got (\S+)$|^threw (\S+)$/.exec(outcome);
              if (m) received.push(m[1] ?? m[2]);
              log[i].push(outcome);
            }
          } catch (e) {
            if (e instanceof TaskletExit) log[i].push('killed');
            throw e;
          }
        },
        { name: `a${i}` },
      )(),
    );
  }

  /** Values whose send succeeded, from the outcomes seen so far. */
  const succeeded = new Set<string>();
  const seen = log.map(() => 0);
  const fail = (what: string, actual: unknown, wanted: unknown): never => {
    throw new Error(`${what}\n  actual:   ${JSON.stringify(actual)}\n  expected: ${JSON.stringify(wanted)}\nhistory:\n  ${history.join('\n  ')}`);
  };

  const verify = (step: string, ended = false): void => {
    for (let i = 0; i < ACTORS; i++) {
      if (JSON.stringify(log[i]) !== JSON.stringify(model.expected[i])) fail(`${step}: outcomes of a${i}`, log[i], model.expected[i]);
      for (; seen[i] < log[i].length; seen[i]++) {
        const cmd = commands[i][seen[i]];
        const out = log[i][seen[i]];
        if (cmd === undefined) continue; // 'killed' while idle
        const m = /^(s\d+):sent$/.exec(out);
        if (m) succeeded.add(cmd.items[Number(m[1].slice(1))]!.tag);
        else if (out === 'sent') succeeded.add(cmd.items[0]!.tag);
      }
      if (ended) {
        if (actors[i].alive) fail(`${step}: a${i} finished`, true, false);
        continue;
      }
      if (model.state[i] !== 'dead' && actors[i].alive !== true) fail(`${step}: a${i} alive`, false, true);
      const idleNow = model.state[i] === 'idle';
      if ((ctl[i].balance === -1) !== idleNow) fail(`${step}: a${i} waits for its next step`, ctl[i].balance === -1, idleNow);
    }
    for (let c = 0; c < CHANNELS; c++) {
      const real = { balance: chans[c].balance, length: chans[c].length, closing: chans[c].closing, closed: chans[c].closed };
      if (JSON.stringify(real) !== JSON.stringify(model.view(c))) fail(`${step}: channel c${c}`, real, model.view(c));
    }
    // Nothing twice; nothing whose send did not succeed; per-sender FIFO on each channel.
    const got = new Set<string>();
    const last = new Map<string, number>();
    for (const tag of received) {
      if (got.has(tag)) fail(`${step}: ${tag} received twice`, received, 'each once');
      if (!succeeded.has(tag)) fail(`${step}: ${tag} received, but its send did not succeed`, received, [...succeeded]);
      got.add(tag);
      const [who, n] = tag.split('.');
      if ((last.get(who) ?? -1) > Number(n)) fail(`${step}: ${who} values out of order`, received, 'per-sender FIFO');
      last.set(who, Number(n));
    }
    // Sent successfully = received + still in a buffer.
    const buffered = chans.reduce((sum, ch) => sum + ch.length, 0);
    if (succeeded.size !== received.length + buffered) fail(`${step}: values sent vs received + buffered`, succeeded.size, received.length + buffered);
    assertLoopInvariants();
  };

  const settle = async (): Promise<void> => {
    await idle();
    await macrotask();
  };

  await settle();
  for (const [n, step] of program.entries()) {
    const name = `${n + 1}. ${describeStep(step)}`;
    switch (step.t) {
      case 'op': {
        const a = step.actor;
        if (model.state[a] !== 'idle') {
          history.push(`${name}: skipped (a${a} ${model.state[a]})`);
          continue;
        }
        const op = step.op;
        const item = (ch: number, thrown = false): Item => ({ tag: `c${ch}:a${a}.${seq++}`, thrown });
        const items =
          op.t === 'select' || op.t === 'trySelect'
            ? op.cases.map((c) => (c.dir === 's' ? item(c.ch) : undefined))
            : op.t === 'send' || op.t === 'trySend' || op.t === 'sendThrow'
              ? [item(op.ch, op.t === 'sendThrow')]
              : [];
        const cmd: Command = { op, items, ac: new AbortController() };
        const before = log[a].length;
        if (!ctl[a].trySend(cmd)) fail(`${name}: a${a} takes its step`, false, true);
        commands[a][before] = cmd;
        // The model, with the same operation. A select among several ready cases picks one
        // at random: the model accepts whichever ready case the real one took.
        let choose: { key: string; cs: CaseSpec; item: Item | undefined; outcome: string }[] | null = null;
        if ('signal' in op && op.signal === 'aborted') model.expected[a].push('aborted');
        else if (op.t === 'send' || op.t === 'sendThrow' || op.t === 'trySend') {
          const out = model.trySend(op.ch, items[0]!);
          if (out !== null) model.expected[a].push(out);
          else if (op.t === 'trySend') model.expected[a].push('false');
          else model.park(a, [{ actor: a, ch: op.ch, item: items[0] }]);
        } else if (op.t === 'receive' || op.t === 'tryReceive') {
          const got = model.take(op.ch);
          if (got) model.expected[a].push(got.thrown ? `threw ${got.tag}` : `got ${got.tag}`);
          else if (model.chans[op.ch].closing) model.expected[a].push(op.t === 'receive' ? 'eoc' : 'drained');
          else if (op.t === 'tryReceive') model.expected[a].push('empty');
          else model.park(a, [{ actor: a, ch: op.ch }]);
        } else {
          const sel = op as Extract<Op, { cases: CaseSpec[] }>;
          const ready = sel.cases
            .map((cs, i) => ({ key: `${cs.dir}${i}`, cs, item: items[i] }))
            .filter(({ cs }) => (cs.dir === 's' ? model.canSend(cs.ch) : model.canReceive(cs.ch)))
            .map((r) => ({ ...r, outcome: model.caseOutcome(r.key, r.cs, r.item) }));
          if (ready.length > 0) choose = sel.priority ? ready.slice(0, 1) : ready;
          else if (op.t === 'trySelect') model.expected[a].push('none');
          else {
            const parked: MSelect = { actor: a, waiters: [] };
            parked.waiters = sel.cases.map((cs, i) => ({ actor: a, ch: cs.ch, item: items[i], sel: parked, key: `${cs.dir}${i}` }));
            model.park(a, parked.waiters);
          }
        }
        await settle();
        if (op.t === 'select' && (model.state[a] as string) === 'parked') model.adoptOrder(a, actors[a], chans);
        if (choose !== null) {
          const actual = log[a][before];
          const c = choose.find((r) => r.outcome === actual);
          if (c === undefined)
            fail(
              `${name}: a ready case`,
              actual,
              choose.map((r) => r.outcome),
            );
          model.expected[a].push(model.commitCase(c!.key, c!.cs, c!.item));
        }
        history.push(`${name} -> ${log[a][before] ?? 'parked'}`);
        break;
      }
      case 'kill':
        if (!model.kill(step.actor)) {
          history.push(`${name}: skipped (dead)`);
          continue;
        }
        await actors[step.actor].kill();
        await settle();
        history.push(name);
        break;
      case 'abort': {
        const a = step.actor;
        if (!model.abort(a)) {
          history.push(`${name}: skipped (a${a} not parked)`);
          continue;
        }
        commands[a][log[a].length].ac.abort('aborted');
        await settle();
        history.push(name);
        break;
      }
      case 'close':
      case 'open':
        model[step.t](step.ch);
        chans[step.ch][step.t]();
        await settle();
        history.push(name);
        break;
    }
    verify(name);
  }

  // Every actor is parked (on its control channel or on a channel) or dead: run() must
  // not hang — it rejects with DeadlockError, or resolves if no actor is alive.
  const anyAlive = model.state.some((s) => s !== 'dead');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    run().then(
      () => 'resolved',
      (e) => (e instanceof DeadlockError ? 'deadlock' : `rejected ${e}`),
    ),
    new Promise((resolve) => (timer = setTimeout(resolve, 2000, 'hung'))),
  ]);
  clearTimeout(timer);
  if (outcome !== (anyAlive ? 'deadlock' : 'resolved')) fail('run() at the end', outcome, anyAlive ? 'deadlock' : 'resolved');

  // Close and drain: parked senders' values come out, then every channel is closed.
  for (let c = 0; c < CHANNELS; c++) {
    model.close(c);
    chans[c].close();
    for (;;) {
      let r: string;
      try {
        const t = chans[c].tryReceive();
        if (!t.ok) break;
        r = t.value;
      } catch (e) {
        r = tagOf(e);
      }
      const m = model.take(c);
      if (m?.tag !== r) fail(`drain c${c}`, r, m?.tag);
      received.push(r);
    }
    await settle();
    verify(`drain c${c}`);
  }
  for (const ch of ctl) ch.close();
  await run();
  verify('end', true);
  // Every value sent successfully was received exactly once (verify: none twice, none unsent).
  if (received.length !== succeeded.size) fail('end: every value sent was received', received.length, succeeded.size);
  for (const ch of chans) if (!ch.closed || ch.balance !== 0) fail('end: channels drained', ch.balance, 0);
}

test(
  'any interleaving of tasklets doing channel operations and selects behaves as the sequential model says',
  async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(capacityArb, { minLength: CHANNELS, maxLength: CHANNELS }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(stepArb, { maxLength: 40, size: 'max' }),
        async (caps, seed, program) => {
          const actors: Tasklet<void>[] = [];
          try {
            await check(caps, seed, program, actors);
          } finally {
            // A failed run leaves no actor behind for the next one.
            for (const t of actors) await t.kill();
            await run().catch(() => undefined);
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? (STRESS ? 10_000 : 500)) },
    );
  },
  STRESS ? 1_800_000 : 60_000,
);
