// API reference (`npm run docs`): TypeDoc renders HTML into docs/api (not committed)
// from the package's two entries, `tasklets` (lib/index.ts) and `tasklets/node` (lib/node.ts).
/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'tasklets',
  entryPoints: ['lib/index.ts', 'lib/node.ts'],
  out: 'docs/api',
  tsconfig: 'tsconfig.json',
  readme: 'README.md',
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  includeVersion: true,
  sort: ['source-order'],
  validation: { notExported: true, invalidLink: true, notDocumented: false },
};
