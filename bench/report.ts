/**
 * The suite's report: medians and ratios as markdown (docs/benchmarks.md), the raw
 * samples as JSON, and a hand-written SVG chart (docs/benchmarks.svg) — time against
 * players on log–log axes, and each case's ratios to the same-shape floor.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Case } from './cases';
import { TARGET_PEERS, type Implementation } from './implementations';

export interface Sample {
  ms: number;
  /** Peak resident set of the child process, in MB. */
  rssMB: number;
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
}

const TARGET_FLOOR_RATIO = 1.15;
const TARGET_PEER_RATIO = 0.75;
const TARGET_MEMORY_RATIO = 1.3;

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
    return { ms: median(cell.samples.map((s) => s.ms)), rssMB: median(cell.samples.map((s) => s.rssMB)), runs: cell.samples.length };
  }

  ratio(impl: string, floor: string, c: Case): number | undefined {
    const a = this.summary(impl, c);
    const b = this.summary(floor, c);
    return a === undefined || b === undefined ? undefined : a.ms / b.ms;
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

/** The tables alone: medians, ratios to both floors, and the targets. */
export function markdownTables(results: Results): string {
  const t = new Table(results);
  const { impls, cases } = results;
  const header = `| case | ${impls.map((i) => i.label).join(' | ')} |\n|---|${impls.map(() => '---:|').join('')}`;
  const lines: string[] = [];

  lines.push('### Medians: time in ms (ping-pong: ns per hand-off), peak RSS in MB in parentheses', '', header);
  for (const c of cases) {
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
    for (const c of cases) {
      const row = impls.map((impl) => (t.summary(impl.name, c) === undefined ? statusText(t.cell(impl.name, c)) : fmtRatio(t.ratio(impl.name, floor, c))));
      lines.push(`| ${c.label} | ${row.join(' | ')} |`);
    }
  }

  if (impls.some((i) => i.name === 'tasklets')) {
    lines.push(
      '',
      '### Targets for tasklets',
      '',
      `| case | ÷ same-shape floor (target ≤ ${TARGET_FLOOR_RATIO}) | ÷ bare floor | ÷ fastest of ${impls.filter((i) => TARGET_PEERS.includes(i.name)).map((i) => i.label).join(', ')} (target ≤ ${TARGET_PEER_RATIO}) | peak RSS ÷ same-shape floor's |`,
      '|---|---:|---:|---:|---:|',
    );
    const mark = (r: number | undefined, limit: number): string => (r === undefined ? '–' : `${r.toFixed(2)} ${r <= limit ? '✓' : '✗'}`);
    for (const c of cases) {
      const own = t.summary('tasklets', c);
      const peer = t.fastestPeer(c);
      const floor = t.summary('same-shape', c);
      const memory = own !== undefined && floor !== undefined ? own.rssMB / floor.rssMB : undefined;
      const peerText = own !== undefined && peer !== undefined ? `${mark(own.ms / peer.ms, TARGET_PEER_RATIO)} (${peer.impl.label})` : '–';
      const memoryText = c.players === 1_000_000 ? mark(memory, TARGET_MEMORY_RATIO) : fmtRatio(memory);
      lines.push(`| ${c.label} | ${mark(t.ratio('tasklets', 'same-shape', c), TARGET_FLOOR_RATIO)} | ${fmtRatio(t.ratio('tasklets', 'bare', c))} | ${peerText} | ${memoryText} |`);
    }
  }
  return lines.join('\n');
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
matches; the pipeline's order is kept). Implementations are interleaved rep by rep; each cell is
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
contract — is in [10. Benchmarks](10-benchmarks.md#where-the-gap-comes-from).

## Chart

![time against players, and ratios to the same-shape floor](${svgName})

Instructions per hand-off, a figure that does not drift with the machine's load, are in
[instructions.md](instructions.md) (\`npx tsx bench/instructions.ts\`).
`;
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

  // Panel 2: every case, each implementation's ratio to the same-shape floor (log scale).
  const ratios = results.cases.flatMap((c) => impls.map((impl) => t.ratio(impl.name, 'same-shape', c)).filter((r): r is number => r !== undefined));
  if (ratios.length > 0) {
    const px = [250, 880];
    const rowH = 26;
    const top = y + 40;
    const [xLo, xHi] = decadeRange(Math.min(...ratios, 1), Math.max(...ratios, 2));
    const xs = logScale(xLo, xHi, px[0], px[1]);
    const bottom = top + results.cases.length * rowH;
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
    parts.push(`<line x1="${xs(TARGET_FLOOR_RATIO)}" y1="${top - 6}" x2="${xs(TARGET_FLOOR_RATIO)}" y2="${bottom}" stroke="${COLORS.tasklets}" stroke-dasharray="3 3"/>`);
    parts.push(`<text x="${xs(TARGET_FLOOR_RATIO) + 4}" y="${top - 10}" fill="${COLORS.tasklets}">target ${TARGET_FLOOR_RATIO}</text>`);
    results.cases.forEach((c, row) => {
      const cy = top + row * rowH + rowH / 2;
      if (row % 2 === 0) parts.push(`<rect x="${px[0]}" y="${cy - rowH / 2}" width="${px[1] - px[0]}" height="${rowH}" fill="#f6f6f6"/>`);
      parts.push(`<text x="${px[0] - 8}" y="${cy + 4}" text-anchor="end">${esc(c.label.replace(' (ns/hop)', ''))}</text>`);
      for (const impl of impls) {
        const r = t.ratio(impl.name, 'same-shape', c);
        if (r === undefined) continue;
        const size = impl.kind === 'library' ? 6 : 4;
        parts.push(`<circle cx="${xs(r).toFixed(1)}" cy="${cy}" r="${size}" fill="${COLORS[impl.name] ?? '#333'}" fill-opacity="0.85"><title>${esc(`${impl.label}: ${r.toFixed(2)}×`)}</title></circle>`);
      }
    });
    parts.push(`<text x="${px[0]}" y="${bottom + 36}">Runs that timed out or failed are not drawn; see the tables in benchmarks.md.</text>`);
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
  const raw = { ...results, cases: results.cases.map(({ id, label, players, hops }) => ({ id, label, players, hops })) };
  writeFileSync(files[2], `${JSON.stringify(raw, null, 1)}\n`);
  return files;
}
