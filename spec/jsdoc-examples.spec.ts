/**
 * The JSDoc is the editor's documentation: this spec keeps it complete and its examples true.
 *
 * - Coverage. Every export of `tasklets` (lib/index.ts), `tasklets/node` (lib/node.ts) and
 *   `tasklets/worker` (lib/worker.ts) has a JSDoc comment, and every exported function and
 *   class an `@example`; every public member of an exported class or interface (parameter
 *   properties included) and every field of an exported object type has a comment. An
 *   override without one shows its base member's.
 * - Type-check. Every `@example` in lib/ compiles, each as a module: its own imports hoisted
 *   (`'tasklets'` reads lib/index, `'tasklets/node'` lib/node, `'tasklets/worker'`
 *   lib/worker), the library's names it uses imported, its body wrapped in an async function
 *   so `await` works, and the free names that fragments use (`jobs`, `a`, `res`, …) declared
 *   once in PREAMBLE. All compile in one program; a failure names the file and line of the
 *   example.
 * - Output. An example states what it prints with a comment at the end of the line of a
 *   `console.log(…)` (after the statement that holds it), or, when that line has none, with
 *   the comment lines right after it (a report of several lines). Every example that states its output and uses no name of the PREAMBLE is
 *   bundled with the library (esbuild) and run in its own Node process; what each stated
 *   `console.log` printed — all its calls, joined by spaces, so one in a loop states `// 1 2 3`
 *   — must match: as the terminal shows it (`util.format`) or as values (`"ping"` for a
 *   string, `util.inspect` otherwise). White space runs compare equal, text after ` — ` is a
 *   remark, `...` stands for anything. An example that does not run to the end fails.
 * - `npm run docs`: TypeDoc (typedoc.config.mjs treats warnings as errors, undocumented members
 *   included) reports nothing.
 *
 * Cost, about 25 s: the coverage walk and the type-check program are built when the file
 * loads (the run list depends on the type-check), so `-t` still pays for them (~8 s); the
 * runs take a few seconds; TypeDoc, once, most of the rest.
 *
 * When an example fails: the message names `lib/file.ts:line`. A type error means the
 * example no longer matches the API (or uses a free name the PREAMBLE lacks: declare it
 * there only if the example is a fragment by nature). A mismatch means the library prints
 * something else now: fix the comment if the new output is right.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..');
const lib = join(root, 'lib');
const entries = { tasklets: join(lib, 'index.ts'), 'tasklets/node': join(lib, 'node.ts'), 'tasklets/worker': join(lib, 'worker.ts') };
type Entry = keyof typeof entries;
/** Where each entry's module is, seen from the examples type-checked in spec/.jsdoc-examples, and from those run. */
const checkedPaths: Record<Entry, string> = { tasklets: '../../lib/index', 'tasklets/node': '../../lib/node', 'tasklets/worker': '../../lib/worker' };
const runPaths: Record<Entry, string> = { tasklets: join(lib, 'index'), 'tasklets/node': join(lib, 'node'), 'tasklets/worker': join(lib, 'worker') };

/**
 * The free names that examples written as fragments use (`jobs`, `a`, `res`, …), declared once.
 * An example that uses one is type-checked but not run.
 */
const PREAMBLE = `
type Ch_<T> = import('../../lib/index').Channel<T>;
type Event_ = { type: string; x: number; y: number };
declare const ch: Ch_<string>, lines: Ch_<string>, jobs: Ch_<string>, replies: Ch_<string>, inbox: Ch_<string>;
declare const a: Ch_<number>, b: Ch_<number>, one: Ch_<number>, two: Ch_<number>, out: Ch_<number>, nums: Ch_<number>;
declare const strs: Ch_<string>, urgent: Ch_<string>, normal: Ch_<string>, headlines: Ch_<string>, source: Ch_<string>, mine: Ch_<string>;
declare const quit: Ch_<void>, stop: Ch_<void>, done: Ch_<void>;
declare const events: Ch_<Event_>, clicks: Ch_<Event_>, keys: Ch_<Event_>;
declare const orders: Ch_<{ id: number; region: string }>;
declare const news: import('../../lib/index').Broadcast<string>, wire: import('../../lib/index').Broadcast<string>;
declare const bus: import('../../lib/index').PubSub<Event_, string>;
declare const trace: import('../../lib/index').Trace;
declare const cases: import('../../lib/index').Cases;
declare const items: number[], urls: string[];
declare const signal: AbortSignal, controller: AbortController;
declare const res: import('node:http').ServerResponse, socket: import('node:net').Socket;
declare const rl: import('node:readline').Interface, emitter: import('node:events').EventEmitter;
declare function rows(): AsyncIterable<number>;
declare function handle(job: unknown): Promise<void>;
declare function log(...args: unknown[]): void;
declare function scenario(): Promise<void>;
declare function runit(players: number, turns: number): Promise<unknown>;
`;

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  esModuleInterop: true,
  useDefineForClassFields: false,
};

const program = ts.createProgram(Object.values(entries), options);
const checker = program.getTypeChecker();
const libFiles = program.getSourceFiles().filter((f) => f.fileName.startsWith(lib + '/'));
const where = (node: ts.Node): string => {
  const sf = node.getSourceFile();
  return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
};

// ---- The exports and their members --------------------------------------------------------

interface Exported {
  entry: string;
  name: string;
  decl: ts.Declaration;
}

const exported: Exported[] = [];
for (const [entry, file] of Object.entries(entries)) {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const decl of target.declarations ?? []) exported.push({ entry, name: symbol.name, decl });
  }
}

const docsOf = (node: ts.Node): ts.JSDoc[] => {
  const target = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return (target as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
};
const hasDoc = (node: ts.Node): boolean => docsOf(node).some((d) => d.comment !== undefined && ts.getTextOfJSDocComment(d.comment)!.trim() !== '');
const hasTag = (node: ts.Node, tag: string): boolean => docsOf(node).some((d) => (d.tags ?? []).some((t) => t.tagName.text === tag));
const isCallable = (decl: ts.Declaration): boolean =>
  ts.isFunctionDeclaration(decl) ||
  ts.isClassDeclaration(decl) ||
  (ts.isVariableDeclaration(decl) && decl.initializer !== undefined && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer)));

/** The public members of a class or interface, and the fields of the object types an exported type is made of. */
function members(decl: ts.Declaration): ts.Declaration[] {
  const out: ts.Declaration[] = [];
  const visitType = (type: ts.TypeNode | undefined): void => {
    if (type === undefined) return;
    if (ts.isTypeLiteralNode(type)) {
      for (const m of type.members) {
        out.push(m);
        if (ts.isPropertySignature(m)) visitType(m.type);
      }
    } else if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) type.types.forEach(visitType);
    else if (ts.isParenthesizedTypeNode(type)) visitType(type.type);
    else if (ts.isArrayTypeNode(type)) visitType(type.elementType);
    else if (ts.isTypeOperatorNode(type)) visitType(type.type);
  };
  if (ts.isClassDeclaration(decl)) {
    for (const m of decl.members) {
      // Parameter properties (`constructor(readonly channel: …)`) are public members too.
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          const flags = ts.getCombinedModifierFlags(p);
          if (ts.isParameterPropertyDeclaration(p, m) && !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))) out.push(p);
        }
        continue;
      }
      if (ts.isClassStaticBlockDeclaration(m) || ts.isSemicolonClassElement(m) || ts.isIndexSignatureDeclaration(m)) continue;
      const flags = ts.getCombinedModifierFlags(m);
      if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
      if (m.name !== undefined && (ts.isPrivateIdentifier(m.name) || m.name.getText().startsWith('_'))) continue;
      if (hasTag(m, 'internal')) continue;
      // An override without a comment of its own shows its base member's, in editors and in TypeDoc.
      if (flags & ts.ModifierFlags.Override && !hasDoc(m)) continue;
      out.push(m);
    }
  } else if (ts.isInterfaceDeclaration(decl)) {
    for (const m of decl.members) {
      if (!hasTag(m, 'internal')) out.push(m);
      if (ts.isPropertySignature(m)) visitType(m.type);
    }
  } else if (ts.isTypeAliasDeclaration(decl)) {
    visitType(decl.type);
  }
  return out;
}

describe('JSDoc coverage', () => {
  test('the entries export something (the walk works)', () => {
    expect(exported.map((e) => e.name)).toEqual(expect.arrayContaining(['Channel', 'tasklet', 'select', 'fromReadable', 'SendChannel', 'ChannelGoneError']));
  });

  test('every export has a JSDoc comment', () => {
    const missing = exported.filter((e) => !hasDoc(e.decl)).map((e) => `${e.entry}: ${e.name} (${where(e.decl)})`);
    expect(missing).toEqual([]);
  });

  test('every exported function and class has an @example', () => {
    const missing = exported.filter((e) => isCallable(e.decl) && !hasTag(e.decl, 'example')).map((e) => `${e.entry}: ${e.name} (${where(e.decl)})`);
    expect(missing).toEqual([]);
  });

  test('every public member of an exported class or interface, and every field of an exported type, has a comment', () => {
    const seen = new Set<ts.Node>();
    const missing: string[] = [];
    for (const e of exported) {
      if (seen.has(e.decl)) continue;
      seen.add(e.decl);
      for (const m of members(e.decl)) {
        if (!hasDoc(m)) missing.push(`${e.name}.${(m as ts.NamedDeclaration).name?.getText() ?? '(signature)'} (${where(m)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

// ---- The examples -------------------------------------------------------------------------

interface Example {
  /** `lib/x.ts:12`: where the `@example` tag is. */
  at: string;
  code: string;
  /** Line in the source file of each line of `code`, 1-based. */
  lines: number[];
}

const examples: Example[] = [];
for (const sf of libFiles) {
  const seen = new Set<number>();
  const visit = (node: ts.Node): void => {
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
      for (const tag of doc.tags ?? []) {
        if (tag.tagName.text !== 'example' || seen.has(tag.pos)) continue;
        seen.add(tag.pos);
        const start = sf.getLineAndCharacterOfPosition(tag.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(tag.end).line;
        const source = sf.text.split('\n');
        const code: string[] = [];
        const lines: number[] = [];
        let inside = false;
        for (let i = start; i <= end && i < source.length; i++) {
          const line = source[i].replace(/^\s*\*(?: |$)/, '');
          if (/^\s*```/.test(line)) {
            if (inside) break;
            inside = true;
            continue;
          }
          if (inside) {
            code.push(line);
            lines.push(i + 1);
          }
        }
        examples.push({ at: `${relative(root, sf.fileName)}:${start + 1}`, code: code.join('\n'), lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const exportNames = (entry: string): string[] => [...new Set(exported.filter((e) => e.entry === entry).map((e) => e.name))];

/** An example as a module: its imports hoisted, the library's names imported (from `paths`, entry → module), its body in an async function. */
function asModule(example: Example, paths: Record<Entry, string>): { text: string; bodyLine: number[] } {
  const imports: string[] = [];
  const body: string[] = [];
  const bodyLine: number[] = [];
  const own = new Set<string>();
  const src = example.code.split('\n');
  for (let i = 0; i < src.length; i++) {
    if (/^import\b/.test(src[i])) {
      let statement = src[i];
      while (!/from\s+['"][^'"]+['"];?\s*$|^import\s+['"][^'"]+['"];?\s*$/.test(statement) && i + 1 < src.length) statement += '\n' + src[++i];
      for (const m of statement.matchAll(/[{,]\s*(?:type\s+)?(\w+)(?:\s+as\s+(\w+))?/g)) own.add(m[2] ?? m[1]);
      imports.push(statement.replace(/(['"])(tasklets(?:\/node|\/worker)?)\1/, (_, _q: string, entry: Entry) => JSON.stringify(paths[entry])));
    } else {
      body.push(src[i]);
      bodyLine.push(example.lines[i]);
    }
  }
  // Only the names the body uses, so an example runs with the entries it would really import.
  const text = body.join('\n');
  const used = (n: string): boolean => !own.has(n) && new RegExp(`\\b${n}\\b`).test(text);
  const taken = new Set<string>();
  const head = [...imports];
  for (const entry of Object.keys(entries) as Entry[]) {
    const names = exportNames(entry).filter((n) => used(n) && !taken.has(n));
    names.forEach((n) => taken.add(n));
    if (names.length > 0) head.push(`import { ${names.join(', ')} } from ${JSON.stringify(paths[entry])};`);
  }
  head.push('export async function example(): Promise<void> {');
  return { text: [...head, ...body, '}', ''].join('\n'), bodyLine: [...head.map(() => 0), ...bodyLine] };
}

// All examples in one program: each a module in spec/.jsdoc-examples (never written to disk).
const virtualDir = join(root, 'spec', '.jsdoc-examples');
const preambleFile = join(virtualDir, 'preamble.d.ts');
const modules = new Map<string, { example: Example; bodyLine: number[] }>();
const texts = new Map<string, string>([[preambleFile, PREAMBLE]]);
examples.forEach((example, i) => {
  const file = join(virtualDir, `example-${i}.ts`);
  const { text, bodyLine } = asModule(example, checkedPaths);
  modules.set(file, { example, bodyLine });
  texts.set(file, text);
});
const host = ts.createCompilerHost(options);
const { getSourceFile, fileExists, readFile } = host;
host.getSourceFile = (name, version, ...rest) => (texts.has(name) ? ts.createSourceFile(name, texts.get(name)!, version, true) : getSourceFile.call(host, name, version, ...rest));
host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
const checked = ts.createProgram([preambleFile, ...modules.keys()], options, host);
const typeErrors: string[] = [];
for (const d of ts.getPreEmitDiagnostics(checked)) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const owner = d.file && modules.get(d.file.fileName);
  if (owner === undefined) {
    typeErrors.push(`${d.file ? relative(root, d.file.fileName) : '(global)'}: ${message}`);
    continue;
  }
  const line = d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line;
  const at = owner.bodyLine[line] ? `${owner.example.at.split(':')[0]}:${owner.bodyLine[line]}` : owner.example.at;
  typeErrors.push(`${at} (@example at ${owner.example.at}): ${message}`);
}

/** Examples that use a name of the preamble: they cannot run as they stand. */
const fragments = new Set<Example>();
{
  const examplesChecker = checked.getTypeChecker();
  for (const [file, { example }] of modules) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const decl = examplesChecker.getSymbolAtLocation(node)?.declarations?.[0];
        if (decl?.getSourceFile().fileName === preambleFile) fragments.add(example);
      }
      ts.forEachChild(node, visit);
    };
    visit(checked.getSourceFile(file)!);
  }
}

describe('JSDoc examples', () => {
  test('there are examples to check (the extraction works)', () => {
    expect(examples.length).toBeGreaterThan(80);
    expect(examples.every((e) => e.code.trim() !== '')).toBe(true);
  });

  test('every @example type-checks', () => {
    expect(typeErrors).toEqual([]);
  });
});

// ---- Running the examples that state what they print ---------------------------------------

interface Stated {
  line: number;
  expected: string[];
}

/** The `console.log` lines of an example that state their output, and what they state. */
function statedOutput(example: Example): Stated[] {
  const src = example.code.split('\n');
  const out: Stated[] = [];
  for (let i = 0; i < src.length; i++) {
    if (!/console\.log\(/.test(src[i])) continue;
    // The comment after the statement: `…); // 42`, also `…); } // 42` and `…))(); // 42`.
    const trailing = /\)[;)}(\s]*\/\/ ?(.*)$/.exec(src[i]);
    if (trailing) {
      out.push({ line: i, expected: [trailing[1]] });
      continue;
    }
    const line = i;
    const expected: string[] = [];
    while (i + 1 < src.length && /^\s*\/\/ /.test(src[i + 1])) expected.push(src[++i].replace(/^\s*\/\/ /, ''));
    if (expected.length > 0) out.push({ line, expected });
  }
  return out;
}

const runnable = examples.filter((e) => statedOutput(e).length > 0 && !fragments.has(e));

/**
 * Whether what a `console.log` printed (all its calls, joined by spaces: one in a loop states
 * `// 1 2 3`) is what it states. `"ping"` and `ping` both match a printed `ping`; runs of white
 * space compare equal; text after ` — ` is a remark; `...` matches anything.
 */
function matches(expected: string[], printed: { text: string; values: string }[]): boolean {
  const flat = (t: string): string => t.replace(/\s+/g, ' ').trim();
  const wanted = flat(expected.join('\n').split(' — ')[0]);
  const pattern = new RegExp(
    '^' +
      wanted
        .split('...')
        .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
    's',
  );
  return pattern.test(flat(printed.map((p) => p.text).join(' '))) || pattern.test(flat(printed.map((p) => p.values).join(' ')));
}

describe('JSDoc examples that state their output', () => {
  let dir: string;
  const results = new Map<Example, { printed: { line: number; text: string; values: string }[]; error: string }>();

  // Each example is bundled with the library by esbuild and run in its own Node process (a
  // fresh loop: tasklet ids start at #1). Every console.log is recorded with its line, both
  // as printed and as values.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tasklets-jsdoc-'));
    const entryPoints: Record<string, string> = {};
    runnable.forEach((example, i) => {
      const file = join(dir, `example-${i}.ts`);
      const code = example.code
        .split('\n')
        .map((l, n) => l.replace(/console\.log\(/g, `log_(${n}, `))
        .join('\n');
      const { text } = asModule({ ...example, code }, runPaths);
      writeFileSync(
        file,
        [
          "import { format as format_, inspect as inspect_ } from 'node:util';",
          'const log_ = (line: number, ...args: unknown[]): void => {',
          '  const values = args.map((a) => (typeof a === "string" ? JSON.stringify(a) : inspect_(a))).join(" ");',
          '  process.stdout.write(JSON.stringify({ line, text: format_(...args), values }) + "\\n");',
          '};',
          text,
          'example().catch((e) => { process.stderr.write(String((e && e.stack) || e)); process.exitCode = 1; });',
        ].join('\n'),
      );
      entryPoints[`example-${i}`] = file;
    });
    const esbuild = await import('esbuild');
    await esbuild.build({ entryPoints, bundle: true, platform: 'node', format: 'esm', outdir: dir, outExtension: { '.js': '.mjs' }, logLevel: 'silent', target: 'node20' });
    runnable.forEach((example, i) => {
      const run = spawnSync(process.execPath, [join(dir, `example-${i}.mjs`)], { encoding: 'utf8', timeout: 10_000, cwd: dir });
      const printed = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { line: number; text: string; values: string });
      results.set(example, { printed, error: run.status === 0 ? '' : `exit ${run.status}: ${run.stderr}` });
    });
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the examples that state their output and need no preamble name are run', () => {
    expect(runnable.length).toBeGreaterThan(10);
  });

  test.each(runnable.map((e) => [e.at, e] as const))('%s prints what it states', (_at, example) => {
    const { printed, error } = results.get(example)!;
    expect(error).toBe('');
    const mismatches = statedOutput(example).flatMap(({ line, expected }) => {
      const calls = printed.filter((p) => p.line === line);
      return matches(expected, calls)
        ? []
        : [`line ${example.lines[line]}: states ${JSON.stringify(expected.join('\n'))}, printed ${JSON.stringify(calls.map((c) => c.text).join(' '))}`];
    });
    expect({ example: example.at, mismatches }).toEqual({ example: example.at, mismatches: [] });
  });
});

describe('npm run docs', () => {
  test('TypeDoc reports no warning (undocumented members included)', () => {
    const out = mkdtempSync(join(tmpdir(), 'tasklets-typedoc-'));
    try {
      const run = spawnSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, '');
      expect(output.split('\n').filter((l) => /warning|error/i.test(l) && !/Found 0 errors and 0 warnings/.test(l))).toEqual([]);
      expect(run.status).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
