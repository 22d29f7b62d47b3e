/**
 * Issue 15's performance targets, and the two figures the suite does not measure itself
 * but reports against them: instructions per hand-off (bench/instructions.ts writes
 * docs/instructions.md) and the ten-million-player game (bench/ten-million.ts writes
 * docs/ten-million.json). bench/report.ts judges every target met or missed.
 */
import { existsSync, readFileSync } from 'node:fs';

/** The limits, as ratios to the named reference (medians of one run). */
export const TARGETS = {
  /** 1. On every case, tasklets' time ÷ the fastest of the peers with a blocking send. */
  peer: 0.95,
  /** 2. Bytes per parked tasklet, and the million-player game's peak RSS, ÷ the same-shape floor's. */
  memory: 1.3,
  /** 3. Instructions per hand-off ÷ the same-shape floor's (bench/instructions.ts). */
  instructions: 1.25,
  /** 3. Time of the hand-off-heavy cases ÷ the same-shape floor's. */
  handOffs: 1.5,
  /** 4. Time of the 10,000-player game ÷ the same-shape floor's. */
  creation: 2,
  /** 5. Ten million players: wall time in seconds and peak RSS in GB (2^30 bytes). */
  tenMillionS: 60,
  tenMillionGB: 9,
  /** 6. The moonshot: every case's time ÷ the same-shape floor's. */
  moonshot: 1.3,
} as const;

/** One game of bench/ten-million.ts. */
export interface TenMillionRun {
  /** The implementation, as named in bench/impl/. */
  impl: string;
  /** The command line that was run. */
  command: string;
  status: 'ok' | 'failed' | 'timeout';
  /** Wall time of the whole process, start-up included, in seconds. */
  seconds?: number;
  /** Peak resident set of the process, in MB (2^20 bytes). */
  peakRssMB?: number;
  /** Where the peak RSS came from: `/usr/bin/time -v`, or the process's own report. */
  rssSource?: string;
  /** The game's own time, as the process printed it, in ms. */
  gameMs?: number;
  detail?: string;
}

/** What bench/ten-million.ts writes to docs/ten-million.json. */
export interface TenMillion {
  date: string;
  /** The commit whose lib/ was measured. */
  revision: string;
  node: string;
  players: number;
  turns: number;
  nodeFlags: string;
  runs: TenMillionRun[];
}

/** docs/ten-million.json, or `undefined` when there is none (or it cannot be read). */
export function readTenMillion(file: string): TenMillion | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as TenMillion;
    return Array.isArray(data.runs) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** The library's figure in docs/instructions.md. */
export interface InstructionsFigure {
  perHandOff: number;
  /** ÷ the same-shape floor, as instructions.md gives it. */
  ratio: number;
  /** The commit instructions.md says it measured. */
  revision: string;
}

/** The tasklets row of docs/instructions.md, or `undefined` when the file or the row is missing. */
export function readInstructions(file: string): InstructionsFigure | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const row = /^\| tasklets \| ([\d,]+) \| ([\d.]+) \|/m.exec(text);
  if (row === null) return undefined;
  const revision = /library at commit ([0-9a-f]+)/.exec(text)?.[1] ?? 'unknown';
  return { perHandOff: Number(row[1].replace(/,/g, '')), ratio: Number(row[2]), revision };
}
