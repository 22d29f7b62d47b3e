/**
 * The suite's report: medians and ratios as markdown (docs/benchmarks.md), the raw
 * samples as JSON, and a hand-written SVG chart (docs/benchmarks.svg) — time against
 * players on log–log axes, each case's ratios to the same-shape floor, and bytes per
 * parked party — with every issue 15 target (bench/targets.ts) judged met or missed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from './cases';
import { IMPLEMENTATIONS, TARGET_PEERS, type Implementation } from './implementations';
import { TARGETS, type InstructionsFigure, type TenMillion } from './targets';

export interface Sample {
  ms: number;
  /** Peak resident set of the child process, in MB. */
  rssMB: number;
  /** Heap growth per parked party, in bytes (the parked cases only). */
  bytesPerParty?: number;
}

export interface Cell {
  impl: string;
  caseId: string;
  samples: Sample[];
  /** `ok` while every run so far passed its check. */
  status: 'ok' | 'timeout' | 'failed' | 'skipped';
  detail?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  os: string;
  date: string;
  command: string;
  nodeFlags: string;
  /** The commit whose lib/ was measured. */
  revision: string;
}

export interface Results {
  machine: Machine;
  reps: number;
  millionReps: number;
  timeoutS: number;
  impls: readonly Implementation[];
  cases: readonly Case[];
  cells: readonly Cell[];
  /** docs/instructions.md's figure for tasklets, where that file has one (target 3). */
  instructions?: InstructionsFigure;
  /** docs/ten-million.json, where bench/ten-million.ts wrote one (target 5). */
  tenMillion?: TenMillion;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians of one cell, or `undefined` when it has no successful run. */
interface Summary {
  ms: number;
  rssMB: number;
  runs: number;
  /** Median, least and most bytes per parked party (the parked cases). */
  bytes?: { median: number; min: number; max: number };
}

class Table {
  private readonly byKey = new Map<string, Cell>();

  constructor(readonly results: Results) {
    for (const cell of results.cells) this.byKey.set(`${cell.impl} ${cell.caseId}`, cell);
  }

  cell(impl: string, c: Case): Cell | undefined {
    return this.byKey.get(`${impl} ${c.id}`);
  }

  summary(impl: string, c: Case): Summary | undefined {
    const cell = this.cell(impl, c);
    if (cell === undefined || cell.status !== 'ok' || cell.samples.length === 0) return undefined;
    const summary: Summary = { ms: median(cell.samples.map((s) => s.ms)), rssMB: median(cell.samples.map((s) => s.rssMB)), runs: cell.samples.length };
    const bytes = cell.samples.flatMap((s) => (s.bytesPerParty === undefined ? [] : [s.bytesPerParty]));
    if (bytes.length > 0) summary.bytes = { median: median(bytes), min: Math.min(...bytes), max: Math.max(...bytes) };
    return summary;
  }

  ratio(impl: string, floor: string, c: Case): number | undefined {
    const a = this.summary(impl, c);
    const b = this.summary(floor, c);
    return a === undefined || b === undefined ? undefined : a.ms / b.ms;
  }

  /** Median bytes per parked party of `impl` ÷ those of `floor`, on a parked case. */
  bytesRatio(impl: string, floor: string, c: Case): number | undefined {
    const a = this.summary(impl, c)?.bytes;
    const b = this.summary(floor, c)?.bytes;
    return a === undefined || b === undefined ? undefined : a.median / b.median;
  }

  /** Median peak RSS of `impl` ÷ that of `floor`. */
  rssRatio(impl: string, floor: string, c: Case): number | undefined {
    const a = this.summary(impl, c);
    const b = this.summary(floor, c);
    return a === undefined || b === undefined ? undefined : a.rssMB / b.rssMB;
  }

  /** The fastest of the target peers on this case, by median time. */
  fastestPeer(c: Case): { impl: Implementation; ms: number } | undefined {
    let best: { impl: Implementation; ms: number } | undefined;
    for (const impl of this.results.impls) {
      if (!TARGET_PEERS.includes(impl.name)) continue;
      const s = this.summary(impl.name, c);
      if (s !== undefined && (best === undefined || s.ms < best.ms)) best = { impl, ms: s.ms };
    }
    return best;
  }
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtRatio = (r: number | undefined): string => (r === undefined ? '–' : r.toFixed(2));

/** A time as the report shows it: ms, or ns per hand-off for the cases that count hops. */
function fmtTime(ms: number, c: Case): string {
  if (c.hops !== undefined) return fmtInt((ms * 1e6) / c.hops);
  return ms >= 100 ? fmtInt(ms) : ms.toFixed(1);
}

function statusText(cell: Cell | undefined): string {
  return cell === undefined ? '–' : cell.status;
}

/** The time cases (every table but the bytes one) and the parked cases, largest last. */
function split(cases: readonly Case[]): { timed: Case[]; parked: Case[] } {
  return {
    timed: cases.filter((c) => c.measure === 'time'),
    parked: cases.filter((c) => c.measure === 'bytes').sort((a, b) => (a.parties ?? 0) - (b.parties ?? 0)),
  };
}

/** The tables alone: medians, ratios to both floors, bytes per parked party, and the targets. */
export function markdownTables(results: Results): string {
  const t = new Table(results);
  const { impls } = results;
  const { timed, parked } = split(results.cases);
  const header = `| case | ${impls.map((i) => i.label).join(' | ')} |\n|---|${impls.map(() => '---:|').join('')}`;
  const lines: string[] = [];

  if (timed.length > 0) {
    lines.push('### Medians: time in ms (ping-pong: ns per hand-off), peak RSS in MB in parentheses', '', header);
    for (const c of timed) {
      const row = impls.map((impl) => {
        const s = t.summary(impl.name, c);
        return s === undefined ? statusText(t.cell(impl.name, c)) : `${fmtTime(s.ms, c)} (${fmtInt(s.rssMB)})`;
      });
      lines.push(`| ${c.label} | ${row.join(' | ')} |`);
    }

    for (const [floor, title] of [
      ['same-shape', 'Ratio of median times to the same-shape floor (same run)'],
      ['bare', 'Ratio of median times to the bare-promise floor (same run)'],
    ] as const) {
      lines.push('', `### ${title}`, '', header);
      for (const c of timed) {
        const row = impls.map((impl) => (t.summary(impl.name, c) === undefined ? statusText(t.cell(impl.name, c)) : fmtRatio(t.ratio(impl.name, floor, c))));
        lines.push(`| ${c.label} | ${row.join(' | ')} |`);
      }
    }
  }

  for (const c of parked) {
    if (lines.length > 0) lines.push('');
    lines.push(...bytesTable(t, c));
  }

  if (impls.some((i) => i.name === 'tasklets')) {
    lines.push('', ...targetLines(t, results));
    if (timed.length > 0) lines.push('', ...perCaseTable(t, timed));
  }
  return lines.join('\n');
}

/** Bytes per parked party on one parked case: a row per implementation. */
function bytesTable(t: Table, c: Case): string[] {
  const lines = [
    `### Bytes per parked party (${fmtInt(c.parties ?? 0)} parked, each on a receive of its own channel; heap growth after full collections ÷ parties)`,
    '',
    '| implementation | B per parked party | ÷ same-shape floor | ÷ bare floor | least–most | runs | ms to create and park |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const impl of t.results.impls) {
    const s = t.summary(impl.name, c);
    if (s?.bytes === undefined) {
      lines.push(`| ${impl.label} | ${statusText(t.cell(impl.name, c))} | – | – | – | – | – |`);
      continue;
    }
    const b = s.bytes;
    lines.push(
      `| ${impl.label} | ${fmtInt(b.median)} | ${fmtRatio(t.bytesRatio(impl.name, 'same-shape', c))} | ${fmtRatio(t.bytesRatio(impl.name, 'bare', c))} | ${fmtInt(b.min)}–${fmtInt(b.max)} | ${s.runs} | ${fmtInt(s.ms)} |`,
    );
  }
  return lines;
}

/** One part of a target: its figure, and whether it was met (`undefined`: not measured). */
interface Part {
  text: string;
  met: boolean | undefined;
}

/** A target is missed if any part is, met if every part is, else not judged. */
function verdict(parts: readonly Part[]): string {
  if (parts.some((p) => p.met === false)) return 'missed ✗';
  if (parts.length > 0 && parts.every((p) => p.met === true)) return 'met ✓';
  return 'not judged';
}

const mark = (r: number | undefined, limit: number): string => (r === undefined ? '–' : `${r.toFixed(2)} ${r <= limit ? '✓' : '✗'}`);
const times = (r: number): string => `${r.toFixed(2)}×`;

/**
 * Ratios of tasklets on each of `cases` (to the same-shape floor unless `of` says
 * otherwise), summed up as one part: every case's figure when `each`, else the worst
 * and on how many cases the limit holds.
 */
function worstPart(cases: readonly Case[], limit: number, of: (c: Case) => { r: number; vs?: string } | undefined, what: string, each = false): Part {
  const measured = cases.flatMap((c) => {
    const x = of(c);
    return x === undefined ? [] : [{ c, ...x }];
  });
  if (measured.length === 0) return { text: `${what}: not measured in this run`, met: undefined };
  const name = (m: (typeof measured)[number]): string => `${m.c.label.replace(' (ns/hop)', '')}${m.vs === undefined ? '' : `, against ${m.vs}`}`;
  const within = measured.filter((m) => m.r <= limit).length;
  const missing = cases.length - measured.length;
  const unmeasured = missing > 0 ? ` (${missing} not measured)` : '';
  const text = each
    ? measured.map((m) => `${name(m)} ${times(m.r)} ${m.r <= limit ? '✓' : '✗'}`).join(', ')
    : (() => {
        const worst = measured.reduce((a, b) => (b.r > a.r ? b : a));
        return `worst ${times(worst.r)} (${name(worst)}); within the limit on ${within} of ${measured.length} cases`;
      })();
  return { text: `${what}: ${text}${unmeasured}`, met: missing > 0 && within === measured.length ? undefined : within === measured.length };
}

/** The peers target 1 is set against, as the report names them (whether or not this run measured them). */
function targetPeerLabels(): string {
  return IMPLEMENTATIONS.filter((i) => TARGET_PEERS.includes(i.name))
    .map((i) => i.label)
    .join(', ');
}

/** Issue 15's targets, a numbered line each: met ✓ or missed ✗, with the figures that decide it. */
function targetLines(t: Table, results: Results): string[] {
  const { timed, parked } = split(results.cases);
  const floorRatio = (c: Case): { r: number } | undefined => {
    const r = t.ratio('tasklets', 'same-shape', c);
    return r === undefined ? undefined : { r };
  };
  const line = (n: number, title: string, limit: string, parts: readonly Part[]): string =>
    `${n}. **${title}** (${limit}): ${verdict(parts)} — ${parts.map((p) => p.text).join('; ')}.`;
  const lines = ['### Targets (issue 15)', ''];

  const peer = worstPart(
    timed,
    TARGETS.peer,
    (c) => {
      const own = t.summary('tasklets', c);
      const best = t.fastestPeer(c);
      return own === undefined || best === undefined ? undefined : { r: own.ms / best.ms, vs: best.impl.label };
    },
    'time ÷ the fastest of them',
  );
  lines.push(line(1, 'Ahead of every peer', `every case ≤ ${TARGETS.peer}× the fastest of ${targetPeerLabels()}`, [peer]));

  const memory: Part[] = [];
  const largest = parked[parked.length - 1];
  const bytes = largest === undefined ? undefined : t.bytesRatio('tasklets', 'same-shape', largest);
  if (largest === undefined || bytes === undefined) memory.push({ text: 'bytes per parked tasklet: not measured in this run', met: undefined });
  else {
    const own = t.summary('tasklets', largest)!.bytes!.median;
    const floor = t.summary('same-shape', largest)!.bytes!.median;
    memory.push({
      text: `${fmtInt(own)} B per parked tasklet against the floor's ${fmtInt(floor)} (${fmtInt(largest.parties ?? 0)} parked): ${times(bytes)}`,
      met: bytes <= TARGETS.memory,
    });
  }
  const million = timed.find((c) => c.players === 1_000_000);
  const rss = million === undefined ? undefined : t.rssRatio('tasklets', 'same-shape', million);
  if (million === undefined || rss === undefined) memory.push({ text: 'peak RSS of the 1,000,000-player game: not measured in this run', met: undefined });
  else {
    const own = t.summary('tasklets', million)!.rssMB;
    const floor = t.summary('same-shape', million)!.rssMB;
    memory.push({ text: `peak RSS of the 1,000,000-player game ${fmtInt(own)} MB against ${fmtInt(floor)}: ${times(rss)}`, met: rss <= TARGETS.memory });
  }
  lines.push(line(2, 'Memory', `bytes per parked tasklet and the million-player game's peak RSS ≤ ${TARGETS.memory}× the same-shape floor's`, memory));

  const handOffs = timed.filter((c) => c.target === 'hand-offs');
  const instructions = results.instructions;
  lines.push(
    line(3, 'Hand-offs', `instructions per hand-off ≤ ${TARGETS.instructions}× and hand-off-heavy cases ≤ ${TARGETS.handOffs}× the same-shape floor's time`, [
      instructions === undefined
        ? { text: 'instructions per hand-off: see [instructions.md](instructions.md)', met: undefined }
        : {
            text: `${fmtInt(instructions.perHandOff)} instructions per hand-off, ${times(instructions.ratio)} the floor's ([instructions.md](instructions.md), commit ${instructions.revision}, measured separately)`,
            met: instructions.ratio <= TARGETS.instructions,
          },
      worstPart(handOffs, TARGETS.handOffs, floorRatio, 'time ÷ the floor on the hand-off-heavy cases', true),
    ]),
  );

  const creation = timed.filter((c) => c.target === 'creation');
  lines.push(
    line(4, 'Creation and teardown', `the 10,000-player game ≤ ${TARGETS.creation}× the same-shape floor`, [
      worstPart(creation, TARGETS.creation, floorRatio, 'time ÷ the floor', true),
    ]),
  );

  lines.push(
    line(5, 'Ten million players', `\`tasklets --players 10000000\` ≤ ${TARGETS.tenMillionS} s and ≤ ${TARGETS.tenMillionGB} GB peak RSS`, tenMillionParts(results.tenMillion)),
  );

  lines.push(line(6, 'Moonshot', `every case ≤ ${TARGETS.moonshot}× the same-shape floor`, [worstPart(timed, TARGETS.moonshot, floorRatio, 'time ÷ the floor')]));
  return lines;
}

/** Target 5's parts, from docs/ten-million.json (bench/ten-million.ts), measured apart from this run. */
function tenMillionParts(data: TenMillion | undefined): Part[] {
  if (data === undefined) return [{ text: 'not measured in this run (`npx tsx bench/ten-million.ts` writes docs/ten-million.json)', met: undefined }];
  const when = `measured ${data.date.slice(0, 10)} at commit ${data.revision} by bench/ten-million.ts`;
  if (data.players !== 10_000_000) return [{ text: `docs/ten-million.json holds a ${fmtInt(data.players)}-player game, not ten million (${when})`, met: undefined }];
  const describe = (impl: string): string | undefined => {
    const run = data.runs.find((r) => r.impl === impl);
    if (run === undefined) return undefined;
    if (run.status !== 'ok') return `${run.status}${run.detail ? ` (${run.detail})` : ''}`;
    return `${run.seconds!.toFixed(1)} s, ${(run.peakRssMB! / 1024).toFixed(1)} GB`;
  };
  const own = data.runs.find((r) => r.impl === 'tasklets');
  const floor = describe('same-shape');
  const reference = floor === undefined ? '' : `; the same-shape floor ${floor}`;
  if (own === undefined) return [{ text: `no tasklets game in docs/ten-million.json${reference} (${when})`, met: undefined }];
  if (own.status !== 'ok') return [{ text: `tasklets ${describe('tasklets')}${reference} (${when})`, met: false }];
  const gb = own.peakRssMB! / 1024;
  return [
    { text: `tasklets ${own.seconds!.toFixed(1)} s ${own.seconds! <= TARGETS.tenMillionS ? '✓' : '✗'}`, met: own.seconds! <= TARGETS.tenMillionS },
    { text: `${gb.toFixed(1)} GB ${gb <= TARGETS.tenMillionGB ? '✓' : '✗'}${reference} (${when})`, met: gb <= TARGETS.tenMillionGB },
  ];
}

/** Tasklets case by case: the ratios the time targets are judged on. */
function perCaseTable(t: Table, timed: readonly Case[]): string[] {
  const lines = [
    '#### Tasklets case by case',
    '',
    `| case | ÷ fastest of ${targetPeerLabels()} (1: ≤ ${TARGETS.peer}) | ÷ same-shape floor | 3: ≤ ${TARGETS.handOffs}, 4: ≤ ${TARGETS.creation} | 6: ≤ ${TARGETS.moonshot} | ÷ bare floor | peak RSS ÷ same-shape floor's (2: ≤ ${TARGETS.memory} at 1,000,000) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of timed) {
    const own = t.summary('tasklets', c);
    const peer = t.fastestPeer(c);
    const floor = t.ratio('tasklets', 'same-shape', c);
    const peerText = own !== undefined && peer !== undefined ? `${mark(own.ms / peer.ms, TARGETS.peer)} (${peer.impl.label})` : '–';
    const limit = c.target === 'hand-offs' ? TARGETS.handOffs : c.target === 'creation' ? TARGETS.creation : undefined;
    const own3or4 = limit === undefined || floor === undefined ? '' : `${floor <= limit ? '✓' : '✗'} (${c.target === 'hand-offs' ? 3 : 4})`;
    const moon = floor === undefined ? '–' : floor <= TARGETS.moonshot ? '✓' : '✗';
    const memory = t.rssRatio('tasklets', 'same-shape', c);
    const memoryText = c.players === 1_000_000 ? mark(memory, TARGETS.memory) : fmtRatio(memory);
    lines.push(`| ${c.label} | ${peerText} | ${fmtRatio(floor)} | ${own3or4} | ${moon} | ${fmtRatio(t.ratio('tasklets', 'bare', c))} | ${memoryText} |`);
  }
  return lines;
}

function markdown(results: Results, svgName: string): string {
  const m = results.machine;
  const peers = results.impls.filter((i) => i.pkg !== undefined);
  const notes = results.impls.filter((i) => i.note !== undefined).map((i) => `- ${i.label}: ${i.note}.`);
  const problems = results.cells
    .filter((cell) => cell.status !== 'ok')
    .map((cell) => `- ${cell.impl}, ${results.cases.find((c) => c.id === cell.caseId)?.label ?? cell.caseId}: ${cell.status}${cell.detail ? ` (${cell.detail})` : ''}`);

  return `<!-- Generated by bench/run.ts (${m.command}); rerun it rather than editing this file. -->
# Benchmarks

Measured ${m.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGB.toFixed(0)} GB, Node ${m.node}, ${m.os},
library at commit ${m.revision}, with

    ${m.command}

Each (implementation, case) run is a fresh \`node ${m.nodeFlags} --import tsx bench/child.ts\` process
that checks its own result (kicks = turns and every party finished; every ping-pong reply
matches; the pipeline's order is kept; every party parked — its receive started, none completed,
tasklets' own count agreeing — and, once released, each received its own index from its own
channel). Bytes per parked party are the growth of \`process.memoryUsage().heapUsed\`, after
full collections (the child runs with \`--expose-gc\`), from before the channels and parties are
made to when all are parked, divided by their number; the array holding the channels (8 B a
party) is counted for every implementation alike, and 1,000 parties are parked and released
first so that first-use costs fall outside. Implementations are interleaved rep by rep; each cell is
the median of ${results.reps} runs (${results.millionReps} for 1,000,000 players). Peak RSS is
\`process.resourceUsage().maxRSS\` of the whole child, Node and the tsx loader included (about
80 MB idle). A run over ${results.timeoutS} s is killed and marked \`timeout\`, and that
implementation is not run again on that case nor on larger games. Absolute times on this shared
machine drift by up to 2× between runs: compare the ratios, which come from this run alone.

Implementations: **tasklets** (this library, loaded by a plain \`import 'tasklets'\` as Node users load it (\`dist/index.node.mjs\`, the ESM face of the CommonJS build, with the exit check), built from \`lib/\` by \`npm run build\` before the run: every party a \`tasklet()\`,
rendezvous channels, every send and receive awaited, \`run()\` to wait); the **bare floor**
(receive is \`await new Promise(r => waiter = r)\`, a send that finds its receiver just resolves it,
not awaited); the **same-shape floor** (the same, but every send is awaited, as users write
\`await ch.send(v)\`); both floors park a send that finds no receiver, so both are correct
rendezvous channels (\`bench/impl/floor-channel.ts\`). Peers, pinned: ${peers.map((i) => `${i.pkg}`).join(', ')}
(versions in package.json).
${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}
${markdownTables(results)}
${problems.length > 0 ? `\nNot measured:\n\n${problems.join('\n')}\n` : ''}
Where the gaps to the floors come from — instruction counts, the garbage collector's
share, the memory of a parked tasklet, and the measured price of each part of the
contract — is in [10. Benchmarks](10-benchmarks.md#where-the-gap-is-now-2026-12-04-issue-15).

## Chart

![time against players, and ratios to the same-shape floor](${svgName})

Instructions per hand-off, a figure that does not drift with the machine's load, are in
[instructions.md](instructions.md) (\`npx tsx bench/instructions.ts\`).
${across()}`;
}

/** The hand-kept section on threads and processes (docs/benchmarks-across.md), copied in as it is. */
function across(): string {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'benchmarks-across.md');
  return existsSync(file) ? `\n${readFileSync(file, 'utf8')}` : '';
}

const COLORS: Record<string, string> = {
  tasklets: '#d62728',
  bare: '#7f7f7f',
  'same-shape': '#000000',
  medium: '#1f77b4',
  'async-channel': '#2ca02c',
  'thi-ng-csp': '#9467bd',
  'ts-chan': '#8c564b',
  'js-csp': '#e377c2',
  effection: '#bcbd22',
  'channel-ts': '#17becf',
};

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A log10 axis mapping [lo, hi] (powers of ten) onto pixels [a, b]. */
function logScale(lo: number, hi: number, a: number, b: number): (v: number) => number {
  const l = Math.log10(lo);
  const h = Math.log10(hi);
  return (v) => a + ((Math.log10(v) - l) / (h - l)) * (b - a);
}

/** The powers of ten around [min, max], at least one decade apart. */
function decadeRange(min: number, max: number): [number, number] {
  const lo = 10 ** Math.floor(Math.log10(min));
  const hi = 10 ** Math.ceil(Math.log10(max));
  return [lo, hi > lo ? hi : lo * 10];
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.round(Math.log10(lo)); e <= Math.round(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

const short = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const shortMs = (ms: number): string => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

function svg(results: Results): string {
  const t = new Table(results);
  const { impls } = results;
  const width = 960;
  const parts: string[] = [];
  const style = (impl: Implementation): string => {
    const color = COLORS[impl.name] ?? '#333';
    const w = impl.kind === 'library' ? 3 : 1.5;
    const dash = impl.kind === 'floor' ? ' stroke-dasharray="6 4"' : '';
    return `stroke="${color}" stroke-width="${w}"${dash}`;
  };
  const legend = (x: number, y: number): void => {
    impls.forEach((impl, i) => {
      const yy = y + i * 20;
      parts.push(`<line x1="${x}" y1="${yy}" x2="${x + 26}" y2="${yy}" ${style(impl)}/>`);
      parts.push(`<circle cx="${x + 13}" cy="${yy}" r="3.5" fill="${COLORS[impl.name] ?? '#333'}"/>`);
      parts.push(`<text x="${x + 34}" y="${yy + 4}">${esc(impl.label)}</text>`);
    });
  };

  // Panel 1: hackysack at 1,000 turns, time against players, log–log.
  const sized = results.cases.filter((c) => c.players !== undefined).sort((a, b) => a.players! - b.players!);
  let y = 30;
  if (sized.length > 0) {
    const px = [70, 700];
    const py = [y + 30, y + 390];
    const points = impls.flatMap((impl) => sized.map((c) => t.summary(impl.name, c)?.ms).filter((v): v is number => v !== undefined));
    const [yLo, yHi] = decadeRange(Math.min(...points), Math.max(...points));
    const [xLo, xHi] = decadeRange(sized[0].players!, sized[sized.length - 1].players!);
    const xs = logScale(xLo, xHi, px[0], px[1]);
    const ys = logScale(yLo, yHi, py[1], py[0]);
    parts.push(`<text x="${px[0]}" y="${y + 12}" font-size="15" font-weight="bold">Hackysack, 1,000 turns: median time against players (log–log)</text>`);
    for (const d of decades(xLo, xHi)) {
      parts.push(`<line x1="${xs(d)}" y1="${py[0]}" x2="${xs(d)}" y2="${py[1]}" stroke="#ddd"/>`);
      parts.push(`<text x="${xs(d)}" y="${py[1] + 16}" text-anchor="middle">${short(d)}</text>`);
    }
    for (const d of decades(yLo, yHi)) {
      parts.push(`<line x1="${px[0]}" y1="${ys(d)}" x2="${px[1]}" y2="${ys(d)}" stroke="#ddd"/>`);
      parts.push(`<text x="${px[0] - 6}" y="${ys(d) + 4}" text-anchor="end">${shortMs(d)}</text>`);
    }
    parts.push(`<text x="${(px[0] + px[1]) / 2}" y="${py[1] + 34}" text-anchor="middle">players</text>`);
    for (const impl of impls) {
      const pts = sized.flatMap((c) => {
        const s = t.summary(impl.name, c);
        return s === undefined ? [] : [[xs(c.players!), ys(s.ms)] as const];
      });
      if (pts.length === 0) continue;
      parts.push(`<polyline fill="none" ${style(impl)} points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"/>`);
      for (const [a, b] of pts) parts.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3.5" fill="${COLORS[impl.name] ?? '#333'}"/>`);
    }
    legend(px[1] + 30, py[0] + 10);
    y = py[1] + 60;
  }

  // Panel 2: every time case, each implementation's ratio to the same-shape floor (log scale).
  const { timed, parked } = split(results.cases);
  const ratios = timed.flatMap((c) => impls.map((impl) => t.ratio(impl.name, 'same-shape', c)).filter((r): r is number => r !== undefined));
  if (ratios.length > 0) {
    const px = [250, 880];
    const rowH = 26;
    const top = y + 40;
    const [xLo, xHi] = decadeRange(Math.min(...ratios, 1), Math.max(...ratios, 2));
    const xs = logScale(xLo, xHi, px[0], px[1]);
    const bottom = top + timed.length * rowH;
    parts.push(`<text x="70" y="${y + 12}" font-size="15" font-weight="bold">Median time ÷ same-shape floor, per case (log scale; left of 1 is faster than the floor)</text>`);
    for (const d of decades(xLo, xHi)) {
      for (const m of [1, 2, 5]) {
        const v = d * m;
        if (v > xHi) continue;
        parts.push(`<line x1="${xs(v)}" y1="${top - 6}" x2="${xs(v)}" y2="${bottom}" stroke="${m === 1 ? '#ccc' : '#eee'}"/>`);
        parts.push(`<text x="${xs(v)}" y="${bottom + 16}" text-anchor="middle">${v}×</text>`);
      }
    }
    parts.push(`<line x1="${xs(1)}" y1="${top - 6}" x2="${xs(1)}" y2="${bottom}" stroke="#000"/>`);
    parts.push(`<line x1="${xs(TARGETS.moonshot)}" y1="${top - 6}" x2="${xs(TARGETS.moonshot)}" y2="${bottom}" stroke="${COLORS.tasklets}" stroke-dasharray="3 3"/>`);
    parts.push(
      `<text x="${xs(TARGETS.moonshot) + 4}" y="${top - 10}" fill="${COLORS.tasklets}">moonshot ${TARGETS.moonshot}× (target 6); short red bars: the case's own target (3, 4)</text>`,
    );
    timed.forEach((c, row) => {
      const cy = top + row * rowH + rowH / 2;
      if (row % 2 === 0) parts.push(`<rect x="${px[0]}" y="${cy - rowH / 2}" width="${px[1] - px[0]}" height="${rowH}" fill="#f6f6f6"/>`);
      parts.push(`<text x="${px[0] - 8}" y="${cy + 4}" text-anchor="end">${esc(c.label.replace(' (ns/hop)', ''))}</text>`);
      const limit = c.target === 'hand-offs' ? TARGETS.handOffs : c.target === 'creation' ? TARGETS.creation : undefined;
      if (limit !== undefined) {
        parts.push(
          `<line x1="${xs(limit)}" y1="${cy - rowH / 2 + 2}" x2="${xs(limit)}" y2="${cy + rowH / 2 - 2}" stroke="${COLORS.tasklets}" stroke-width="3"><title>${esc(`target: ≤ ${limit}× the same-shape floor`)}</title></line>`,
        );
      }
      for (const impl of impls) {
        const r = t.ratio(impl.name, 'same-shape', c);
        if (r === undefined) continue;
        const size = impl.kind === 'library' ? 6 : 4;
        parts.push(
          `<circle cx="${xs(r).toFixed(1)}" cy="${cy}" r="${size}" fill="${COLORS[impl.name] ?? '#333'}" fill-opacity="0.85"><title>${esc(`${impl.label}: ${r.toFixed(2)}×`)}</title></circle>`,
        );
      }
    });
    parts.push(`<text x="${px[0]}" y="${bottom + 36}">Runs that timed out or failed are not drawn; see the tables in benchmarks.md.</text>`);
    y = bottom + 50;
  }

  // Panel 3: bytes per parked party on the largest parked case, a bar per implementation.
  const largest = parked[parked.length - 1];
  const bars =
    largest === undefined
      ? []
      : impls.flatMap((impl) => {
          const b = t.summary(impl.name, largest)?.bytes;
          return b === undefined ? [] : [{ impl, bytes: b.median }];
        });
  if (largest !== undefined && bars.length > 0) {
    const px = [250, 880];
    const rowH = 22;
    const top = y + 40;
    const floor = t.summary('same-shape', largest)?.bytes?.median;
    const limit = floor === undefined ? undefined : floor * TARGETS.memory;
    // A linear axis up to 4× the floor: the parties that cost more are drawn cut off, with their figure.
    const widest = Math.min(Math.max(...bars.map((b) => b.bytes), limit ?? 0), floor === undefined ? Infinity : 4 * floor);
    const step = [100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000].find((v) => widest / v <= 8) ?? 10 ** Math.ceil(Math.log10(widest / 8));
    const end = step * Math.ceil(widest / step);
    const xs = (v: number): number => px[0] + (Math.min(v, end) / end) * (px[1] - px[0]);
    const bottom = top + bars.length * rowH;
    parts.push(`<text x="70" y="${y + 12}" font-size="15" font-weight="bold">Bytes per parked party (${fmtInt(largest.parties ?? 0)} parked; heap after full collections)</text>`);
    for (let v = 0; v <= end; v += step) {
      parts.push(`<line x1="${xs(v)}" y1="${top - 6}" x2="${xs(v)}" y2="${bottom}" stroke="#eee"/>`);
      parts.push(`<text x="${xs(v)}" y="${bottom + 16}" text-anchor="middle">${fmtInt(v)}</text>`);
    }
    bars.forEach(({ impl, bytes }, row) => {
      const cy = top + row * rowH + rowH / 2;
      parts.push(`<text x="${px[0] - 8}" y="${cy + 4}" text-anchor="end">${esc(impl.label)}</text>`);
      parts.push(
        `<rect x="${px[0]}" y="${cy - 7}" width="${(xs(bytes) - px[0]).toFixed(1)}" height="14" fill="${COLORS[impl.name] ?? '#333'}" fill-opacity="0.85"><title>${esc(`${impl.label}: ${fmtInt(bytes)} B`)}</title></rect>`,
      );
      parts.push(`<text x="${(xs(bytes) + 4).toFixed(1)}" y="${cy + 4}">${bytes > end ? '→ ' : ''}${fmtInt(bytes)}</text>`);
    });
    if (limit !== undefined) {
      parts.push(`<line x1="${xs(limit)}" y1="${top - 6}" x2="${xs(limit)}" y2="${bottom}" stroke="${COLORS.tasklets}" stroke-dasharray="3 3"/>`);
      parts.push(`<text x="${xs(limit) + 4}" y="${top - 10}" fill="${COLORS.tasklets}">target ${TARGETS.memory}× the same-shape floor (target 2)</text>`);
    }
    parts.push(`<text x="${px[0]}" y="${bottom + 36}">bytes per party</text>`);
    y = bottom + 50;
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif" font-size="12">
<desc>Generated by bench/run.ts: ${esc(results.machine.command)}, ${results.machine.date}</desc>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}

/** Writes `base`.md, `base`.svg and `base`.json; returns the files written. */
export function writeReport(base: string, results: Results): string[] {
  mkdirSync(path.dirname(base), { recursive: true });
  const files = [`${base}.md`, `${base}.svg`, `${base}.json`];
  writeFileSync(files[0], markdown(results, path.basename(files[1])));
  writeFileSync(files[1], svg(results));
  const raw = { ...results, cases: results.cases.map(({ id, label, measure, players, hops, parties, target }) => ({ id, label, measure, players, hops, parties, target })) };
  writeFileSync(files[2], `${JSON.stringify(raw, null, 1)}\n`);
  return files;
}
