// ESLint (`npm run lint`, `npm run format`), flat config. The devDependencies it uses:
//
// - eslint: the linter (v9, this flat config).
// - @eslint/js: ESLint's own `recommended` rules (no-undef, no-unreachable, no-dupe-keys,
//   …), the base typescript-eslint's setup builds on; eslint depends on it already, but
//   this file imports it, so package.json names it.
// - typescript-eslint: the TypeScript parser and its `recommendedTypeChecked` rules, which
//   read the types through the tsconfigs (`eslint .` takes ~11 s on the 2-core machine,
//   ~4.5 s with `recommended` alone; up to ~38 s while other jobs loaded the machine).
// - eslint-config-prettier: switches off every rule that Prettier's formatting would
//   fight; last, so that it wins. Prettier itself (`prettier --check .`) does the format.
//
// Linted: lib/, spec/, bench/, examples/, cli/, scripts/, types/ and the root config files.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * The scripts and config files run on Node, with no build step and no types: their
 * globals are the Node's that runs ESLint (process, console, URL, setTimeout, …), read
 * here rather than taken from a list package.
 */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default defineConfig(
  // What is not source: built, generated or installed (.gitignore's too: ESLint does not read it).
  globalIgnores(['dist/', 'build/', 'coverage/', 'reports/', '.stryker-tmp/', 'dist.build-lock/', 'bench/results/', 'docs/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    // Type-aware: each .ts file is read with the tsconfig.json nearest to it (spec/types has its own).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      // `_` names a value taken only to be dropped (`for await (const _ of ch);`), and
      // `({ inputs, ...rest }) => rest` drops a property: both on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // `lazy && deadlines.delete(this)` is a statement on purpose; a bare `expect(x).toBe;` is still caught.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `any` is written on purpose (below), and `const a: T[] = new Array(n)` preallocates; tsc's strict mode checks the rest.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The library passes on whatever user code threw or an AbortSignal carries (typed unknown or any), unwrapped.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // A Tasklet or Channel prints as its label (their toString()).
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowNever: true, allow: [{ from: 'file', name: ['Tasklet', 'Channel', 'AfterChannel'] }] },
      ],
    },
  },
  {
    files: ['lib/**/*.ts', 'spec/**/*.ts'],
    rules: {
      // `Channel<any>` (Channel<T> is invariant: a Channel<number> is no Channel<unknown>),
      // the loop's internal `Promise<any>`, `(...args: any[]) => unknown` and `globalThis as any` are deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      // Methods held to call later with `.call(this)` (the hooks' wrappers, their specs), and iterator methods that are closures.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['spec/**/*.ts'],
    rules: {
      // jest.isolateModules() loads a fresh copy of the library with require().
      '@typescript-eslint/no-require-imports': 'off',
      // Specs strip terminal escapes (`\x1b[…m`) from the output they capture.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['spec/**/*.ts', 'examples/**/*.ts'],
    rules: {
      // A tasklet's body is an async function, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      // They print values as they are: `join: ${await t.join()}` shows undefined on purpose.
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    files: ['spec/types/**/*.ts'],
    rules: {
      // Type-level tests declare values only to check `typeof` them, and `await` what
      // must fail to compile (npm run typecheck:types; never run).
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
  {
    // The core's host globals: only tsconfig.build.json reads them (they clash with @types/node's).
    files: ['types/**/*.d.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tsconfig.build.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // They repeat DOM's and @types/node's declarations: globals are `declare var`, `reason` is `any` there too.
      'no-var': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['bench/impl/effection.ts'],
    rules: {
      // Effection's spawn() takes a generator function, also one with nothing to yield.
      'require-yield': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    // No types to read in JavaScript (none of it is in a tsconfig).
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      // A CommonJS file loads with require().
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  prettier,
);
