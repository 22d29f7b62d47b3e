#!/usr/bin/env node
// The import graph of lib/, read from the sources: every `import … from`, `export … from`
// and `import('…')`. An edge is a *value* edge if the import brings anything that exists
// at run time, a *type* edge if it is `import type`/`export type`, all its names are
// marked `type`, or it is an `import('…')` type query. Both kinds count for the rooms (a
// type edge ties files together as much when a reader follows it); cycles are reported
// per kind: a value cycle decides the order modules are evaluated in, a type cycle only
// that two files name each other's types.
//
//   node scripts/imports.mjs           prints the rooms, every edge between rooms, and
//                                      every import cycle between files
//   node scripts/imports.mjs --check   the same, and exits 1 if an import runs uphill
//                                      (to a room later in ROOMS, type edges included),
//                                      if a cycle of either kind spans two rooms, or if
//                                      a value cycle is not one of ALLOWED_CYCLES;
//                                      `npm test` runs this
//
// The rooms, bottom to top: a file may import from its own room and from rooms listed
// before it, never from one after it. The package's entries — the top-level files of lib/:
// lib/index.ts, lib/index.node.ts, lib/node.ts, lib/worker.ts and lib/nats.ts — sit above every room.
// docs/design.md says what each room holds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOMS = ['base', 'host', 'core', 'channel', 'select', 'time', 'run', 'inspect', 'toolbox', 'node', 'worker', 'nats'];

/**
 * Value cycles between files that are allowed, each inside one room and each with its
 * reason (written in the header of the first file too). Keys are the cycle's files, sorted.
 */
export const ALLOWED_CYCLES = new Map([
  ['core/loop.ts core/waiter.ts', 'the loop parks and settles waiters; a waiter settled from outside the loop (an abort, a kill) wakes its party through the loop'],
]);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A whole `import`/`export … from` statement, or an `import('…')` type query. */
const STATEMENT = /^(import|export)\s+([^;]*?)\s*from\s*['"](\.{1,2}\/[^'"]+)['"]|^import\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gms;

/** Whether an import or export clause brings only types. */
function typeOnly(clause) {
  if (/^type\b/.test(clause)) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (braces === null) return false;
  const names = braces[1]
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return names.length > 0 && names.every((n) => /^type\s/.test(n));
}

/** The lib/ files `file` imports (relative to lib/), each with whether the edge is type-only. */
function importsOf(file) {
  const out = new Map();
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(STATEMENT)) {
    const spec = m[3] ?? m[4] ?? m[5];
    const isType = m[5] !== undefined || (m[2] !== undefined && typeOnly(m[2]));
    let target = resolve(dirname(file), spec);
    if (!target.endsWith('.ts')) {
      try {
        target = statSync(target).isDirectory() ? join(target, 'index.ts') : target;
      } catch {
        target += '.ts';
      }
      if (!target.endsWith('.ts')) target += '.ts';
    }
    const key = relative(lib, target).replace(/\\/g, '/');
    out.set(key, (out.get(key) ?? true) && isType);
  }
  return out;
}

/** The room of a file (relative to lib/): its folder, or `'(entry)'` for a top-level file (lib/index.ts, lib/node.ts, lib/worker.ts, …). */
export function roomOf(file) {
  const slash = file.indexOf('/');
  return slash === -1 ? '(entry)' : file.slice(0, slash);
}

function rank(room) {
  return room === '(entry)' ? ROOMS.length : ROOMS.indexOf(room);
}

/** Strongly connected components of more than one file (Tarjan). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of (graph.get(v) ?? new Map()).keys()) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function analyse() {
  const graph = new Map(files(lib).map((f) => [relative(lib, f).replace(/\\/g, '/'), importsOf(f)]));
  const valueGraph = new Map([...graph].map(([f, t]) => [f, new Map([...t].filter(([, isType]) => !isType))]));
  const problems = [];
  const roomEdges = new Map();
  for (const [from, targets] of graph) {
    for (const to of targets.keys()) {
      if (!graph.has(to)) problems.push(`${from} imports ${to}, which does not exist`);
      const a = roomOf(from);
      const b = roomOf(to);
      if (a === b) continue;
      const key = `${a} -> ${b}`;
      roomEdges.set(key, [...(roomEdges.get(key) ?? []), `${from} -> ${to}`]);
      if (rank(b) === -1 || rank(a) === -1) problems.push(`${from} -> ${to}: ${rank(a) === -1 ? a : b}/ is not a room (add it to ROOMS)`);
      else if (rank(b) > rank(a)) problems.push(`${from} -> ${to}: imports uphill, from ${a}/ up to ${b}/`);
    }
  }
  const fileCycles = cycles(graph);
  const valueCycles = cycles(valueGraph);
  for (const c of fileCycles) {
    if (new Set(c.map(roomOf)).size > 1) problems.push(`cycle across rooms: ${c.join(' ')}`);
  }
  for (const c of valueCycles) {
    if (new Set(c.map(roomOf)).size === 1 && !ALLOWED_CYCLES.has(c.join(' '))) problems.push(`value cycle not allowed: ${c.join(' ')}`);
  }
  return { graph, roomEdges, fileCycles, valueCycles, problems };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const { graph, roomEdges, fileCycles, valueCycles, problems } = analyse();
  const check = process.argv.includes('--check');
  const rooms = [...new Set([...graph.keys()].map(roomOf))].sort((a, b) => rank(a) - rank(b));
  if (!check) {
    console.log(`${graph.size} files in ${rooms.length} rooms, bottom to top:`);
    for (const r of rooms)
      console.log(
        `  ${r.padEnd(8)} ${[...graph.keys()]
          .filter((f) => roomOf(f) === r)
          .map((f) => f.slice(f.indexOf('/') + 1))
          .join(' ')}`,
      );
    console.log('edges between rooms:');
    for (const [k, v] of [...roomEdges].sort()) console.log(`  ${k} (${v.length})`);
    console.log(`cycles between files, type edges included: ${fileCycles.length}`);
    for (const c of fileCycles) console.log(`  ${c.join(' ')}`);
    console.log(`cycles between files at run time (value edges): ${valueCycles.length}`);
    for (const c of valueCycles) console.log(`  ${c.join(' ')}${ALLOWED_CYCLES.has(c.join(' ')) ? ` — allowed: ${ALLOWED_CYCLES.get(c.join(' '))}` : ''}`);
  }
  if (problems.length > 0) {
    console.error(`imports: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    if (check) process.exit(1);
  } else if (check)
    console.log(`imports: ${graph.size} files in ${rooms.length} rooms, every import downhill, no cycle across rooms, ${valueCycles.length} allowed value cycle(s)`);
}
