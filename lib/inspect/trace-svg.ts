/**
 * A small SVG timeline of a recorded trace (lib/inspect/trace.ts), for docs and bug reports
 * where opening Perfetto is not an option: one lane per track, a bar per slice, a line
 * per hand-off arrow.
 */
import type { ChromeTrace, TraceEvent } from './trace';
import { checkOptions, show } from '../base/validate';

/** Options of {@link traceToSvg}. */
export interface SvgOptions {
  /** Width of the drawing in pixels (default 900). */
  width?: number;
  /** Lanes drawn at most (default 24); the busiest are kept. */
  lanes?: number;
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

/**
 * Draws `trace` as an SVG timeline: lanes in track order, slices as bars, hand-offs as
 * arrows between them.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('trace.svg', traceToSvg(trace.toJSON()));
 * ```
 */
export function traceToSvg(trace: ChromeTrace, options?: SvgOptions): string {
  const events = checkTrace(trace);
  const o = checkOptions('traceToSvg()', options, ['width', 'lanes']);
  const width = checkCount('width', o?.width, 900, 200);
  const maxLanes = checkCount('lanes', o?.lanes, 24, 1);
  const names = new Map<number, string>();
  const busy = new Map<number, number>();
  const slices = events.filter((e) => e.ph === 'X');
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(e.tid, String(e.args?.name));
  for (const e of slices) busy.set(e.tid, (busy.get(e.tid) ?? 0) + (e.dur ?? 0) + 1);
  const tids = [...busy.keys()]
    .sort((a, b) => busy.get(b)! - busy.get(a)!)
    .slice(0, maxLanes)
    .sort((a, b) => a - b);
  const lane = new Map(tids.map((tid, i) => [tid, i]));
  const start = Math.min(...slices.map((e) => e.ts), Infinity);
  const end = Math.max(...slices.map((e) => e.ts + (e.dur ?? 0)), -Infinity);
  const left = 170;
  const laneH = 22;
  const top = 28;
  const span = end > start ? end - start : 1;
  const x = (ts: number): number => left + ((ts - start) / span) * (width - left - 10);
  const y = (tid: number): number => top + lane.get(tid)! * laneH;
  const height = top + tids.length * laneH + 24;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`,
    `<text x="8" y="16" font-weight="bold">tasklets trace: ${slices.length} slices, ${span < 1000 ? `${span.toFixed(1)} µs` : `${(span / 1000).toFixed(2)} ms`}</text>`,
  ];
  for (const tid of tids) {
    out.push(`<text x="8" y="${y(tid) + 14}">${esc(names.get(tid) ?? `#${tid}`)}</text>`);
    out.push(`<line x1="${left}" x2="${width - 10}" y1="${y(tid) + laneH - 2}" y2="${y(tid) + laneH - 2}" stroke="#eee"/>`);
  }
  for (const e of slices) {
    if (!lane.has(e.tid)) continue;
    const w = Math.max(x(e.ts + (e.dur ?? 0)) - x(e.ts), 1.5);
    out.push(
      `<rect x="${x(e.ts).toFixed(2)}" y="${y(e.tid) + 3}" width="${w.toFixed(2)}" height="${laneH - 8}" fill="${COLOURS[e.tid % COLOURS.length]}"><title>${esc(`${names.get(e.tid) ?? e.tid}: ${e.name}, ${(e.dur ?? 0).toFixed(1)} µs`)}</title></rect>`,
    );
  }
  const starts = new Map<number, { ts: number; tid: number }>();
  for (const e of events) if (e.ph === 's' && e.id !== undefined) starts.set(e.id, { ts: e.ts, tid: e.tid });
  for (const e of events) {
    if (e.ph !== 'f' || e.id === undefined) continue;
    const s = starts.get(e.id);
    if (s === undefined || !lane.has(s.tid) || !lane.has(e.tid)) continue;
    out.push(
      `<line x1="${x(s.ts).toFixed(2)}" y1="${y(s.tid) + laneH / 2}" x2="${x(e.ts).toFixed(2)}" y2="${y(e.tid) + laneH / 2}" stroke="#555" stroke-width="0.8" marker-end="url(#arrow)"/>`,
    );
  }
  out.push(`<text x="${left}" y="${height - 6}" fill="#777">0 µs</text>`);
  out.push(`<text x="${width - 10}" y="${height - 6}" fill="#777" text-anchor="end">${span.toFixed(0)} µs</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** `trace` must be a recorded trace (`trace.toJSON()`): an object with a `traceEvents` array. */
function checkTrace(trace: unknown): readonly TraceEvent[] {
  const events = trace !== null && typeof trace === 'object' ? Object.getOwnPropertyDescriptor(trace, 'traceEvents')?.value : undefined;
  if (!Array.isArray(events)) {
    throw new TypeError(`traceToSvg(): trace must be a recorded trace (trace.toJSON(): an object with a traceEvents array), received ${show(trace)}`);
  }
  return events as TraceEvent[];
}

/** A size option: `undefined` (then `fallback`) or an integer of at least `min`. */
function checkCount(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`traceToSvg(): option "${name}" must be a number, received ${show(value)}`);
  if (!(Number.isInteger(value) && value >= min)) throw new RangeError(`traceToSvg(): option "${name}" must be an integer of at least ${min}, received ${show(value)}`);
  return value;
}
