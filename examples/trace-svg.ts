/**
 * Records a small pipeline — a producer, a doubler and a printer over two channels —
 * and draws the trace: the SVG timeline in docs/debugging.md, the Chrome trace that
 * Perfetto opens, and the Graphviz graph of who talks to whom.
 *
 *   npx tsx examples/trace-svg.ts docs/trace   # writes docs/trace.svg, .json and .dot
 */
import { Channel, type ChromeTrace, run, startTrace, tasklet, traceToSvg } from '../lib/index';

export async function record(): Promise<{ json: ChromeTrace; svg: string; dot: string }> {
  const numbers = new Channel<number>({ name: 'numbers' });
  const doubled = new Channel<number>({ name: 'doubled' });
  const trace = startTrace();
  tasklet(
    async () => {
      for (let i = 1; i <= 3; i++) await numbers.send(i);
      numbers.close();
    },
    { name: 'producer' },
  )();
  tasklet(
    async () => {
      for await (const n of numbers) await doubled.send(2 * n);
      doubled.close();
    },
    { name: 'doubler' },
  )();
  tasklet(
    async () => {
      for await (const n of doubled) void n;
    },
    { name: 'printer' },
  )();
  await run();
  trace.stop();
  const json = trace.toJSON();
  return { json, svg: traceToSvg(json, { width: 760 }), dot: trace.toDot() };
}

async function main(): Promise<void> {
  const base = process.argv[2] ?? 'trace';
  const { writeFileSync } = await import('node:fs');
  const { json, svg, dot } = await record();
  writeFileSync(`${base}.svg`, svg);
  writeFileSync(`${base}.json`, JSON.stringify(json));
  writeFileSync(`${base}.dot`, dot);
  console.log(`wrote ${base}.svg, ${base}.json, ${base}.dot`);
}

if (/trace-svg\.ts$/.test(process.argv[1] ?? '')) void main();
