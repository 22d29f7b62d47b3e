/**
 * The SVG timeline of a trace (lib/inspect/trace-svg.ts), drawn from small traces written
 * by hand so every coordinate is known: one lane per track in track order, labelled with
 * the track's name; a bar per slice, scaled from the first slice's start to the last
 * one's end; a line with an arrowhead per hand-off whose both ends are drawn; at most
 * `lanes` lanes, the busiest kept; text escaped. (A trace recorded from a real run is
 * spec/inspect/trace.spec.ts's; bad arguments are
 * spec/regression/regression-trace-to-svg-unnamed-argument.spec.ts's.)
 */
import { type ChromeTrace, type TraceEvent, traceToSvg } from '../../lib/index';

/** A trace of `events`, as `trace.toJSON()` gives it. */
const trace = (...events: TraceEvent[]): ChromeTrace => ({ traceEvents: events, displayTimeUnit: 'ms', otherData: { library: 'tasklets', dropped: 0 } });
const named = (tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', ts: 0, pid: 1, tid, args: { name } });
const slice = (tid: number, ts: number, dur: number, name = 'run'): TraceEvent => ({ name, ph: 'X', ts, dur, pid: 1, tid });
const flow = (ph: 's' | 'f', id: number, tid: number, ts: number): TraceEvent => ({ name: 'hand-off', ph, id, ts, pid: 1, tid });

/** The elements of `svg` with tag `tag`, each as its attributes (and its text, if any). */
function elements(svg: string, tag: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} ([^>]*?)/?>(?:([^<]*)</${tag}>)?`, 'g'))) {
    const attrs: Record<string, string> = Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]));
    if (m[2] !== undefined) attrs.text = m[2];
    out.push(attrs);
  }
  return out;
}

/** The bars of slices: the `<rect>`s that carry a `<title>`. */
const bars = (svg: string): { x: number; y: number; width: number; fill: string; title: string }[] =>
  [...svg.matchAll(/<rect x="([\d.]+)" y="(\d+)" width="([\d.]+)" height="\d+" fill="([^"]+)"><title>([^<]*)<\/title><\/rect>/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    width: Number(m[3]),
    fill: m[4],
    title: m[5],
  }));

/** The two tracks below: "ping" (tid 1) 30 µs busy, "pong" (tid 2) 10 µs, one hand-off from ping to pong. */
const small = trace(
  named(1, 'ping'),
  named(2, 'pong'),
  slice(1, 0, 10, 'start'),
  flow('s', 7, 1, 10),
  slice(2, 10, 10, 'start'),
  flow('f', 7, 2, 10),
  slice(1, 20, 20, 'handed off'),
);

test('a small trace: the header, a labelled lane per track in track order, a bar per slice, an arrow per hand-off', () => {
  const svg = traceToSvg(small, { width: 400 });
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="96" viewBox="0 0 400 96"')).toBe(true);
  expect(svg.endsWith('</svg>\n')).toBe(true);
  const texts = elements(svg, 'text').map((t) => [t.x, t.y, t.text]);
  expect(texts).toEqual([
    ['8', '16', 'tasklets trace: 3 slices, 40.0 µs'],
    ['8', '42', 'ping'], // lane 0: top 28 + 14
    ['8', '64', 'pong'], // lane 1: one lane height (22) lower
    ['170', '90', '0 µs'],
    ['390', '90', '40 µs'],
  ]);
  // x runs from 170 (the labels' margin) at 0 µs to 390 (width - 10) at 40 µs: 5.5 px per µs
  expect(bars(svg)).toEqual([
    { x: 170, y: 31, width: 55, fill: '#f28e2b', title: 'ping: start, 10.0 µs' },
    { x: 225, y: 53, width: 55, fill: '#59a14f', title: 'pong: start, 10.0 µs' },
    { x: 280, y: 31, width: 110, fill: '#f28e2b', title: 'ping: handed off, 20.0 µs' },
  ]);
  const arrows = elements(svg, 'line').filter((l) => l['marker-end'] !== undefined);
  expect(arrows).toEqual([{ x1: '225.00', y1: '39', x2: '225.00', y2: '61', stroke: '#555', 'stroke-width': '0.8', 'marker-end': 'url(#arrow)' }]);
});

test('width defaults to 900; the span reads in ms from 1,000 µs on', () => {
  const svg = traceToSvg(trace(slice(3, 500, 1000), slice(3, 2000, 500)));
  expect(svg).toMatch(/^<svg [^>]*width="900"/);
  expect(svg).toContain('tasklets trace: 2 slices, 2.00 ms');
  expect(bars(svg).map((b) => [b.x, b.width])).toEqual([
    [170, 360], // 0 to 1000 of 2000 µs over 720 px
    [710, 180],
  ]);
});

test('an unnamed track is labelled by its id; its bars say its id too', () => {
  const svg = traceToSvg(trace(slice(4, 0, 5)));
  expect(elements(svg, 'text')[1].text).toBe('#4');
  expect(bars(svg)[0].title).toBe('4: run, 5.0 µs');
});

test('an empty trace is an empty timeline: no lane, no bar', () => {
  const svg = traceToSvg(trace());
  expect(svg).toMatch(/^<svg [^>]*height="52"/); // the header and the scale only
  expect(svg).toContain('tasklets trace: 0 slices');
  expect(bars(svg)).toEqual([]);
  expect(elements(svg, 'line')).toEqual([]);
});

test('names and slice labels are escaped', () => {
  const svg = traceToSvg(trace(named(1, '<a & "b">'), slice(1, 0, 1, '<x>')));
  expect(elements(svg, 'text')[1].text).toBe('&lt;a &amp; &quot;b&quot;&gt;');
  expect(bars(svg)[0].title).toBe('&lt;a &amp; &quot;b&quot;&gt;: &lt;x&gt;, 1.0 µs');
  expect(svg).not.toContain('<a &');
});

test('lanes: the busiest tracks are kept, still in track order; bars and arrows of the others are left out', () => {
  const busy = trace(
    named(1, 'idle one'),
    named(2, 'busy'),
    named(3, 'busier'),
    slice(1, 0, 1),
    slice(2, 1, 30),
    slice(3, 31, 50),
    flow('s', 1, 1, 1),
    flow('f', 1, 2, 1), // from a track left out: not drawn
    flow('s', 2, 2, 31),
    flow('f', 2, 3, 31),
  );
  const svg = traceToSvg(busy, { lanes: 2 });
  expect(
    elements(svg, 'text')
      .slice(1, 3)
      .map((t) => t.text),
  ).toEqual(['busy', 'busier']);
  expect(bars(svg).map((b) => b.title)).toEqual(['busy: run, 30.0 µs', 'busier: run, 50.0 µs']);
  expect(elements(svg, 'line').filter((l) => l['marker-end'] !== undefined)).toHaveLength(1);
  expect(svg).toContain('tasklets trace: 3 slices'); // the header counts every slice
  expect(traceToSvg(busy, { lanes: 1 })).toContain('>busier</text>');
  expect(traceToSvg(busy, { lanes: 1 })).not.toContain('>busy</text>');
});

test('a flow end without its start is not drawn', () => {
  const svg = traceToSvg(trace(slice(1, 0, 5), slice(2, 5, 5), flow('f', 9, 2, 5)));
  expect(elements(svg, 'line').filter((l) => l['marker-end'] !== undefined)).toEqual([]);
});

test('the size options: width at least 200, lanes at least 1, both integers', () => {
  expect(traceToSvg(small, { width: 200 })).toMatch(/^<svg [^>]*width="200"/);
  expect(() => traceToSvg(small, { width: 199 })).toThrow(RangeError);
  expect(() => traceToSvg(small, { width: 199 })).toThrow('traceToSvg(): option "width" must be an integer of at least 200, received 199');
  expect(() => traceToSvg(small, { width: 300.5 })).toThrow('traceToSvg(): option "width" must be an integer of at least 200, received 300.5');
  expect(() => traceToSvg(small, { lanes: 0 })).toThrow('traceToSvg(): option "lanes" must be an integer of at least 1, received 0');
  expect(() => traceToSvg(small, { lanes: '2' as never })).toThrow(TypeError);
  expect(() => traceToSvg(small, { lanes: '2' as never })).toThrow('traceToSvg(): option "lanes" must be a number, received "2"');
});
