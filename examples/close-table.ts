/**
 * Builds the close table of docs/03-channels.md by running every operation against a
 * channel in every state, and prints it as Markdown. The spec checks that the table in
 * the docs is exactly what this prints.
 *
 *   npx tsx examples/close-table.ts
 */
import { Channel, ChannelClosedError, schedule } from '../lib/index';

/** A promise whose state can be read without awaiting it. */
interface Tracked {
  state: 'pending' | 'resolved' | 'rejected';
  value: unknown;
}

function track(promise: Promise<unknown>): Tracked {
  const t: Tracked = { state: 'pending', value: undefined };
  promise.then(
    (value) => Object.assign(t, { state: 'resolved', value }),
    (error) => Object.assign(t, { state: 'rejected', value: error }),
  );
  return t;
}

/** Lets every runnable party run and every settled promise be seen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await schedule();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

function rejection(error: unknown): string {
  if (!(error instanceof ChannelClosedError)) return `rejects ${String(error)}`;
  return error.hasValue ? `rejects ChannelClosedError (.value ${show(error.value)})` : 'rejects ChannelClosedError';
}

/** A channel in some state, with the parked parties that put it there. */
interface Setup {
  ch: Channel<string>;
  /** Parked receivers or senders, with what each one is. */
  parties: { who: string; outcome: Tracked; abort: AbortController }[];
}

function park(setup: Setup, who: string, op: (signal: AbortSignal) => Promise<unknown>): void {
  const abort = new AbortController();
  setup.parties.push({ who, outcome: track(op(abort.signal)), abort });
}

const states: { name: string; make(): Promise<Setup> }[] = [
  {
    name: 'open, nobody waiting',
    async make() {
      return { ch: new Channel<string>(), parties: [] };
    },
  },
  {
    name: 'open, receivers parked',
    async make() {
      const setup: Setup = { ch: new Channel<string>(), parties: [] };
      park(setup, 'receiver', (signal) => setup.ch.receive({ signal }));
      await settle();
      return setup;
    },
  },
  {
    name: 'closing, values buffered',
    async make() {
      const ch = new Channel<string>({ capacity: 2 });
      await ch.send('a');
      await ch.send('b');
      ch.close();
      return { ch, parties: [] };
    },
  },
  {
    name: 'closing, senders parked',
    async make() {
      const setup: Setup = { ch: new Channel<string>(), parties: [] };
      park(setup, "the sender of 'a'", (signal) => setup.ch.send('a', { signal }));
      park(setup, "the sender of 'b'", (signal) => setup.ch.send('b', { signal }));
      await settle();
      setup.ch.close();
      return setup;
    },
  },
  {
    name: 'closed (closing and drained)',
    async make() {
      const ch = new Channel<string>();
      ch.close();
      return { ch, parties: [] };
    },
  },
];

/** What became of the parked parties: the side effects of an operation. */
function effects(setup: Setup): string {
  const out: string[] = [];
  for (const { who, outcome } of setup.parties) {
    if (outcome.state === 'pending') continue;
    if (who === 'receiver') {
      out.push(outcome.state === 'resolved' ? `the receiver gets ${show(outcome.value)}` : `the receiver's receive ${rejection(outcome.value)}`);
    } else {
      out.push(`${who} resumes`);
    }
  }
  return out.length === 0 ? '' : `; ${out.join(', ')}`;
}

function flags(ch: Channel<string>): string {
  return ch.closed ? 'closed' : ch.closing ? 'closing' : 'open';
}

const operations: { name: string; run(setup: Setup): Promise<string> }[] = [
  {
    name: "send('z')",
    async run({ ch, parties }) {
      const abort = new AbortController();
      const t = track(ch.send('z', { signal: abort.signal }));
      await settle();
      parties.push({ who: 'op', outcome: { state: 'pending', value: undefined }, abort });
      return t.state === 'pending' ? 'parks' : t.state === 'resolved' ? 'resolves' : rejection(t.value);
    },
  },
  {
    name: "trySend('z')",
    async run({ ch }) {
      let result: string;
      try {
        result = String(ch.trySend('z'));
      } catch (error) {
        result = rejection(error).replace('rejects', 'throws');
      }
      await settle();
      return result;
    },
  },
  {
    name: 'receive()',
    async run({ ch, parties }) {
      const abort = new AbortController();
      const t = track(ch.receive({ signal: abort.signal }));
      await settle();
      parties.push({ who: 'op', outcome: { state: 'pending', value: undefined }, abort });
      return t.state === 'pending' ? 'parks' : t.state === 'resolved' ? `resolves ${show(t.value)}` : rejection(t.value);
    },
  },
  {
    name: 'tryReceive()',
    async run({ ch }) {
      const r = ch.tryReceive();
      await settle();
      return r.ok ? `{ ok: true, value: ${show(r.value)} }` : `{ ok: false, closed: ${r.closed} }`;
    },
  },
  {
    name: 'for await',
    async run({ ch }) {
      const it = ch[Symbol.asyncIterator]();
      const got: string[] = [];
      for (;;) {
        const t = track(it.next());
        await settle();
        if (t.state === 'pending') return got.length === 0 ? 'parks' : `yields ${got.join(', ')}, then parks`;
        const r = t.value as IteratorResult<string>;
        if (r.done) return got.length === 0 ? 'ends at once' : `yields ${got.join(', ')}, then ends`;
        got.push(show(r.value));
      }
    },
  },
  {
    name: 'close()',
    async run({ ch }) {
      const before = flags(ch);
      ch.close();
      await settle();
      const after = flags(ch);
      return before === 'open' ? `now ${after}` : 'no effect';
    },
  },
  {
    name: 'open()',
    async run({ ch }) {
      const before = flags(ch);
      ch.open();
      if (before === 'open') return 'no effect';
      const kept = [ch.length > 0 ? `${ch.length} values stay buffered` : '', ch.balance > 0 ? `${ch.balance} senders stay parked` : ''];
      return ['reopens', ...kept.filter((k) => k !== '')].join('; ');
    },
  },
];

/** Runs every operation in every state; returns the table as Markdown lines. */
export async function closeTable(): Promise<string[]> {
  const lines = [`| state | ${operations.map((o) => `\`${o.name}\``).join(' | ')} |`];
  lines.push(`|${' --- |'.repeat(operations.length + 1)}`);
  for (const state of states) {
    const cells: string[] = [];
    for (const op of operations) {
      const setup = await state.make();
      const result = await op.run(setup);
      cells.push(result + effects(setup));
      // Leave nothing behind: aborted parties leave the channel as if never parked.
      for (const p of setup.parties) p.abort.abort(new Error('cleanup'));
      setup.ch.close();
      await settle();
    }
    lines.push(`| ${state.name} | ${cells.join(' | ')} |`);
  }
  return lines;
}

export async function main(): Promise<void> {
  for (const line of await closeTable()) console.log(line);
}

if (/close-table\.ts$/.test(process.argv[1] ?? '')) void main();
