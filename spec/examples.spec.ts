/**
 * The examples are the docs' code: this spec runs each one and checks what it prints,
 * then checks that README.md and docs/ show what the examples really contain and print:
 *
 * - every ```ts block comes from the last example file named above it (`examples/x.ts`):
 *   each of its lines appears in that file, in order (`from 'tasklets'` reads
 *   `from '../lib/index'`, `'tasklets/node'` reads `'../lib/node'`, `'tasklets/worker'`
 *   `'../lib/worker'`), so a block may leave lines out but not change them;
 * - every ```text block is a run of lines that same example prints;
 * - the close table in docs/03-channels.md is what examples/close-table.ts builds.
 *
 * Tasklet ids (`#3`) depend on how many tasklets ran before, so they are compared as `#n`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { main as asyncContext } from '../examples/async-context';
import { main as buffered } from '../examples/buffered';
import { main as cancellation } from '../examples/cancellation';
import { main as close } from '../examples/close';
import { closeTable } from '../examples/close-table';
import { main as deadlock } from '../examples/deadlock';
import { main as deadlockReport } from '../examples/deadlock-report';
import { main as errors } from '../examples/errors';
import { main as hackysackSmall } from '../examples/hackysack-small';
import { main as hostNotStarved } from '../examples/host-not-starved';
import { main as kill } from '../examples/kill';
import { main as plainCode } from '../examples/plain-code';
import { main as preference } from '../examples/preference';
import { main as producerConsumer } from '../examples/producer-consumer';
import { main as roundRobin } from '../examples/round-robin';
import { main as sending } from '../examples/sending';
import { main as service } from '../examples/service';
import { main as shutdownBroken } from '../examples/shutdown-broken';
import { main as shutdownFixed } from '../examples/shutdown-fixed';
import { main as tryOperations } from '../examples/try-operations';
import { main as using } from '../examples/using';
import { main as waitingOutside } from '../examples/waiting-outside';
import { loopStats } from '../lib/inspect/invariants';

const root = join(__dirname, '..');

const examples: Record<string, { main: () => Promise<void>; prints: string[] }> = {
  'async-context': { main: asyncContext, prints: ['[req-2] ordering tea', '[req-2] ordered', '[req-1] cooked tea'] },
  using: { main: using, prints: ['sum 10', 'closing: true, still received: kept', 'worker alive: true', 'worker unwinds', 'after the block'] },
  'producer-consumer': {
    main: producerConsumer,
    prints: ['ann got job 1', 'ann got job 2', 'bob got job 3', 'ann got job 4', 'all done'],
  },
  'plain-code': { main: plainCode, prints: ['1', '4', '9'] },
  'round-robin': {
    main: roundRobin,
    prints: ['runnable: 3, started: 0', 'a b c a b c a b c'],
  },
  preference: {
    main: preference,
    prints: [
      'preference -1, receiver parks first: R receives, S sends, O, R got x, S sent, O',
      'preference -1, sender parks first: S sends, R receives, R got x, O, S sent, O',
      'preference  0, receiver parks first: R receives, S sends, S sent, O, R got x, O',
      'preference  0, sender parks first: S sends, R receives, R got x, O, S sent, O',
      'preference  1, receiver parks first: R receives, S sends, S sent, O, R got x, O',
      'preference  1, sender parks first: S sends, R receives, O, S sent, R got x, O',
    ],
  },
  deadlock: {
    main: deadlock,
    prints: [
      'server got ping',
      'deadlock: 2 tasklets parked and nothing runnable',
      '  tasklet "client" (#n) receives on channel "replies" (balance -1)',
      '  tasklet "server" (#n) receives on channel "requests" (balance -1)',
      'parked: client, server',
      'client got pong',
      'client alive: false, server alive: false',
    ],
  },
  'deadlock-report': {
    main: deadlockReport,
    prints: [
      'invoice for tea',
      'deadlock: 2 tasklets parked and nothing runnable',
      '  tasklet "shop" (#n) receives on channel "orders" (balance -1)',
      '    known senders: tasklet "customer" (#n)',
      '    at shop (examples/deadlock-report.ts)',
      '  tasklet "customer" (#n) receives on channel "invoices" (balance -1)',
      '    known senders: tasklet "shop" (#n)',
      '    at customer (examples/deadlock-report.ts)',
      'wait-for cycle: tasklet "shop" (#n) → tasklet "customer" (#n) → tasklet "shop" (#n)',
      'shop waits for customer over channel "orders"',
      'customer waits for shop over channel "invoices"',
      'cycle: shop -> customer -> shop',
    ],
  },
  'waiting-outside': { main: waitingOutside, prints: ['printer got <h1>hello</h1>', 'run() resolved'] },
  kill: {
    main: kill,
    prints: [
      'worker got a',
      'worker unwinds',
      'alive: false, balance: 0, join: undefined',
      'join rejected: stop',
      'handed got b',
      'paused: true, scheduled: false',
      'later runs',
      'TypeError: remove(): tasklet "parked" (#n) is blocked; only a runnable tasklet can be removed',
    ],
  },
  'host-not-starved': { main: hostNotStarved, prints: ['stopped by a timer after more than 1,000 hand-offs: true'] },
  buffered: {
    main: buffered,
    prints: [
      'rendezvous trySend: false',
      'buffered trySend: true true false',
      'length 2, capacity 2, balance 1',
      'received 1',
      'length 2, balance 0',
      'unbounded length 100000',
      'dropOldest kept 3 4 5',
      'dropNewest kept 1 2 3',
    ],
  },
  'try-operations': {
    main: tryOperations,
    prints: ['{ ok: false, closed: false }', 'true false', '{ ok: true, value: undefined }', '{ ok: false, closed: true }', 'false', 'true', 'hi'],
  },
  sending: {
    main: sending,
    prints: ['value 1', 'Error: sensor offline', 'RangeError: reading out of range', 'sent 2 from an array', 'sent 3 from an async generator', 'printer saw 10 20 3 2 1'],
  },
  close: {
    main: close,
    prints: [
      'closing: true, closed: false',
      'send(): send on closed channel "log"; value: d',
      'a',
      'b',
      'c',
      'closing: true, closed: true',
      'receive on closed channel "log": closed and drained',
      'trySend after open: true',
    ],
  },
  cancellation: {
    main: cancellation,
    prints: [
      'timeoutSignal(): timed out after 10 ms; balance 0',
      'sender parked, balance 1',
      'send rejected: no longer needed; balance 0',
      'tryReceive: {"ok":false,"closed":false}',
      'AbortError at once',
      'waiter parked, balance -1',
      'waiter killed, balance 0',
    ],
  },
  'shutdown-broken': {
    main: shutdownBroken,
    prints: ['ann finished job 1', 'bob finished job 2', 'ann killed holding job 3', 'bob killed holding job 4', 'finished 2 of 6 jobs; 2 still in the channel'],
  },
  'shutdown-fixed': {
    main: shutdownFixed,
    prints: [
      'ann finished job 1',
      'bob finished job 2',
      'ann finished job 3',
      'bob finished job 4',
      'ann finished job 5',
      'bob finished job 6',
      'finished 6 of 6 jobs; 0 still in the channel',
    ],
  },
  errors: {
    main: errors,
    prints: [
      'parked: balance -1',
      'aborted: gave up; balance 0',
      'listener: TaskletExit, cleaning up',
      'listener join: undefined',
      'failing join rejected: stop now',
      'send: hasValue true, value late',
      'receive: hasValue false',
      'deadlock: cook',
      'run() rejected: parser crashed',
      'adder still delivered 2',
      'checker join rejected: bad checksum',
    ],
  },
  service: {
    main: service,
    prints: [
      'GET /work?ms=10 -> 200 job 1: 6b86b273',
      '5 x GET /work?ms=50 at once -> 200 200 200 200 503',
      'GET /work?ms=500 -> 504 deadline passed',
      'GET /stream?lines=3 -> 200 line 1 | line 2 | line 3',
      'GET /stream?lines=50 -> 200 line 1 | line 2, then the client hangs up',
      'SIGTERM with 3 jobs in flight -> 200 200 200; a new request -> ECONNREFUSED',
      'the service printed:',
      '  listening on http://127.0.0.1:<port> (2 workers, a queue of 2, deadline 200 ms)',
      '  stream 1: producer stops after 3 of 3 lines',
      '  stream 1: 3 lines sent',
      '  stream 2: the client hung up after 2 lines',
      '  stream 2: producer stops after 2 of 50 lines',
      '  SIGTERM: closing the server and the work channel; the pool drains what it accepted',
      '  pool joined: 9 accepted = 8 done + 1 abandoned; 1 refused (503)',
      '  run() resolved: the server is closed and every tasklet has finished',
      'the service exited with code 0; nothing on stderr',
    ],
  },
  'hackysack-small': {
    main: hackysackSmall,
    prints: [
      '0 got hackysack from 0, kicking to 2',
      '2 got hackysack from 0, kicking to 0',
      '0 got hackysack from 2, kicking to 2',
      '2 got hackysack from 0, kicking to 3',
      '3 got hackysack from 2, kicking to 1',
      '1 got hackysack from 3, kicking to 2',
      '6 kicks, 4 tasklets finished',
    ],
  },
};

const normalizeIds = (line: string): string => line.replace(/\(#\d+\)/g, '(#n)');

/** What an example's `main()` prints through `console.log`, one entry per line. */
const printed = new Map<string, string[]>();
async function output(name: string): Promise<string[]> {
  const cached = printed.get(name);
  if (cached !== undefined) return cached;
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(
      ...format(...args)
        .split('\n')
        .map(normalizeIds),
    );
  });
  try {
    await examples[name].main();
  } finally {
    spy.mockRestore();
  }
  printed.set(name, lines);
  return lines;
}

describe('examples', () => {
  for (const name of Object.keys(examples)) {
    test(`examples/${name}.ts prints what the docs say`, async () => {
      expect(await output(name)).toEqual(examples[name].prints);
      // An example leaves no tasklet behind: the next one starts from a quiet loop.
      expect(loopStats()).toMatchObject({ alive: 0, runnable: 0, paused: 0, parkedPlain: 0 });
    });
  }
});

/** A fenced block of a Markdown file. */
interface Block {
  lang: string;
  lines: string[];
  /** The last `examples/x.ts` named above the block. */
  source: string | undefined;
}

function blocks(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8').split('\n');
  const out: Block[] = [];
  let source: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const fence = /^\s*```(\w*)\s*$/.exec(text[i]);
    if (fence === null) {
      const named = text[i].match(/examples\/[\w-]+\.ts/g);
      if (named !== null) source = named[named.length - 1].slice('examples/'.length, -'.ts'.length);
      continue;
    }
    let end = i + 1;
    while (end < text.length && !text[end].trimStart().startsWith('```')) end++;
    const indent = text[i].length - text[i].trimStart().length; // a fence inside a list item
    out.push({ lang: fence[1], lines: text.slice(i + 1, end).map((l) => l.slice(indent)), source });
    i = end;
  }
  return out;
}

const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the docs show the examples as they are', () => {
  for (const file of docs) {
    test(`${file}: every TypeScript block is taken from the example named above it`, () => {
      for (const block of blocks(file).filter((b) => b.lang === 'ts')) {
        expect({ file, block: block.lines[0], source: block.source }).toEqual({ file, block: block.lines[0], source: expect.any(String) });
        const example = block.source!;
        const source = readFileSync(join(root, 'examples', `${example}.ts`), 'utf8')
          .split('\n')
          .map((l) => l.trim());
        let at = 0;
        for (const raw of block.lines) {
          const line = raw
            .trim()
            .replace(/from 'tasklets'/, "from '../lib/index'")
            .replace(/^import 'tasklets\/node'/, "import '../lib/node'")
            .replace(/from 'tasklets\/node'/, "from '../lib/node'")
            .replace(/from 'tasklets\/worker'/, "from '../lib/worker'");
          if (line === '') continue;
          const found = source.indexOf(line, at);
          expect({ file, example, line, found: found >= 0 }).toEqual({ file, example, line, found: true });
          at = found + 1;
        }
      }
    });

    test(`${file}: every output block is what its example prints`, async () => {
      for (const block of blocks(file).filter((b) => b.lang === 'text')) {
        expect({ file, source: block.source }).toEqual({ file, source: expect.any(String) });
        const shown = block.lines.map((l) => normalizeIds(l.trimEnd()));
        const lines = await output(block.source!);
        const at = lines.findIndex((_, i) => shown.every((l, j) => lines[i + j] === l));
        expect({ file, example: block.source, shown }).toEqual({
          file,
          example: block.source,
          shown: at >= 0 ? shown : `not a run of lines in its output:\n${lines.join('\n')}`,
        });
      }
    });
  }

  test('docs/03-channels.md: the close table is what examples/close-table.ts finds', async () => {
    const table = await closeTable();
    const doc = readFileSync(join(root, 'docs/03-channels.md'), 'utf8').split('\n');
    const start = doc.indexOf(table[0]);
    expect(doc.slice(start, start + table.length)).toEqual(table);
    expect(loopStats()).toMatchObject({ alive: 0, runnable: 0, paused: 0, parkedPlain: 0 });
  });
});
