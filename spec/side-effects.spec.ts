/**
 * package.json says `sideEffects: false`, which lets bundlers drop any module of lib/
 * whose exports a program does not use. That is only true if no module does anything
 * at load time that another module relies on: this spec parses every file of lib/ and
 * allows at the top level only imports, exports, declarations (functions, classes,
 * types, enums) and variable declarations — no expression statements (a polyfill, a
 * registration, a global assignment), no control flow. A variable's initializer may
 * build module-local state (`new Queue()`), but may not assign to anything. The
 * exceptions are lib/node/exit.ts, lib/node/diagnostics.ts and lib/node/context.ts (the
 * exit check, diagnostics events and async context, on at import). They are reached only
 * from the Node entries — lib/index.node.ts (`tasklets` under Node) and lib/node.ts
 * (`tasklets/node`) — which are built to CommonJS only (dist/*.cjs, with ESM faces
 * dist/*.mjs), so package.json lists exactly those under `sideEffects`; the per-module
 * ESM files (dist/*.js) that browsers and bundlers get stay free of effects. The other
 * Node entry, lib/worker.ts (`tasklets/worker`), is built the same way, so an effect
 * there would be kept too; lib/worker/ has no exception of its own yet (one would join
 * `allowed` below, with its reason).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

const lib = join(__dirname, '..', 'lib');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Top-level statements of `source` that run code with an effect beyond the module. */
export function topLevelEffects(source: string, name = 'file.ts'): string[] {
  const sf = ts.createSourceFile(name, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const where = (n: ts.Node): string => `${name}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText().split('\n')[0]}`;
  for (const s of sf.statements) {
    if (
      ts.isImportDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isFunctionDeclaration(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isModuleDeclaration(s) || // `declare global { … }`: types only
      ts.isEnumDeclaration(s)
    ) {
      continue;
    }
    if (ts.isClassDeclaration(s)) {
      // Static blocks and static initializers run at load time.
      for (const m of s.members) {
        if (ts.isClassStaticBlockDeclaration(m)) found.push(where(m));
        else if (ts.isPropertyDeclaration(m) && m.initializer !== undefined && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
          if (assigns(m.initializer)) found.push(where(m));
        }
      }
      continue;
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (d.initializer !== undefined && assigns(d.initializer)) found.push(where(d));
      continue;
    }
    found.push(where(s));
  }
  return found;
}

/**
 * Whether evaluating `node` assigns to something outside it. Nested functions do not run
 * now and are skipped — except an immediately invoked one, whose body runs: there an
 * assignment is allowed only to what the function itself declared (`const c = new
 * MessageChannel(); c.port1.onmessage = …`).
 */
function assigns(node: ts.Node, locals: ReadonlySet<string> = new Set()): boolean {
  let hit = false;
  const root = (target: ts.Expression): string | undefined => {
    let e: ts.Expression = target;
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    return ts.isIdentifier(e) ? e.text : undefined;
  };
  const outside = (target: ts.Expression): boolean => {
    const name = root(target);
    return name === undefined || !locals.has(name);
  };
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isCallExpression(n)) {
      let callee: ts.Expression = n.expression;
      while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
      if ((ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) && callee.body !== undefined) {
        n.arguments.forEach(visit);
        const declared = new Set(locals);
        const collect = (d: ts.Node): void => {
          if ((ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isFunctionDeclaration(d)) && d.name !== undefined && ts.isIdentifier(d.name)) declared.add(d.name.text);
          if (d !== callee && ts.isFunctionLike(d)) return;
          ts.forEachChild(d, collect);
        };
        collect(callee);
        if (assigns(callee.body, declared)) hit = true;
        return;
      }
    }
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && outside(n.left)) hit = true;
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) &&
      outside(n.operand)
    )
      hit = true;
    else if (ts.isDeleteExpression(n) && outside(n.expression)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return hit;
}

test('no file of lib/ has a top-level side effect, so sideEffects: false holds — but for the Node bundles', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  // Importing `tasklets` under Node turns the exit check on, and `tasklets/node` also the
  // diagnostics events and async context: a bare `import 'tasklets'` bundled for Node, or
  // `import 'tasklets/node'` anywhere, must survive a bundler. Both are in dist/*.cjs and
  // dist/*.mjs (their ESM faces), and only there.
  expect(pkg.sideEffects).toEqual(['./dist/*.cjs', './dist/*.mjs']);
  // Every target of the exports map is either the per-module ESM core (dist/index.js, no
  // effects), or in the Node build that sideEffects lists, or types.
  const targets = JSON.stringify(pkg.exports).match(/\.\/dist\/[^"]+/g) as string[];
  expect(new Set(targets.filter((t) => !/\.(c|m)js$|\.d\.c?ts$/.test(t)))).toEqual(new Set(['./dist/index.js']));
  // The Node-only subpaths (tasklets/node, tasklets/worker) lead only into that Node build:
  // files directly in dist/, which the `./dist/*.cjs` and `./dist/*.mjs` globs match.
  for (const subpath of ['./node', './worker']) {
    const code = (JSON.stringify(pkg.exports[subpath]).match(/\.\/dist\/[^"]+/g) ?? []).filter((t) => !/\.d\.c?ts$/.test(t));
    expect({ subpath, code }).toEqual({ subpath, code: [expect.stringMatching(/^\.\/dist\/[^/]+\.mjs$/), expect.stringMatching(/^\.\/dist\/[^/]+\.cjs$/)] });
  }
  const found = files(lib).flatMap((f) => topLevelEffects(readFileSync(f, 'utf8'), relative(lib, f)));
  const allowed = [`node${sep}exit.ts:`, `node${sep}diagnostics.ts:`, `node${sep}context.ts:`];
  expect(found.filter((f) => !allowed.some((a) => f.startsWith(a)))).toEqual([]);
});

test('the check itself catches what it is meant to', () => {
  const bad = [
    "Symbol.dispose ??= Symbol.for('nodejs.dispose');",
    'globalThis.tasklets = {};',
    'if (typeof window !== "undefined") setup();',
    'const x = (globalThis.y = 1);',
    'class A { static { register(A); } }',
    'class B { static n = counter++; }',
    'registry.add(1);',
    'const f = (() => { globalThis.setImmediate ??= polyfill; return 1; })();',
    'const g = (function () { const o = {}; Object.prototype.x = o; count++; })();',
  ];
  for (const source of bad) expect({ source, found: topLevelEffects(source).length }).toEqual({ source, found: 1 });
  const good = [
    "import { a } from './a';",
    'export const q = new Queue();',
    'const s = Symbol.for("x");',
    'const f = (() => { let n = 0; return () => n++; })();',
    'const m = (() => { const c = new MessageChannel(); c.port1.onmessage = () => 1; let k = 0; k++; return c; })();',
    'class C { static readonly none = Object.freeze({}); m() { globalThis.z = 1; } }',
    'declare global { interface SymbolConstructor { readonly dispose: unique symbol } }',
    'export type T = number;',
  ];
  for (const source of good) expect({ source, found: topLevelEffects(source) }).toEqual({ source, found: [] });
});
