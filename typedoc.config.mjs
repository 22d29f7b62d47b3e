// API reference (`npm run docs`): TypeDoc renders HTML into docs/api (not committed)
// from the package's three entries, `tasklets` (lib/index.ts), `tasklets/node` (lib/node.ts)
// and `tasklets/worker` (lib/worker.ts).
// Any warning fails the run, an undocumented public member included: spec/jsdoc-examples.spec.ts
// runs it. Source links point at the repository named in package.json, at the commit built
// (`main` outside a git checkout). They are made without asking git (`disableGit`), so they
// work from a worktree or a tarball, and need no `origin` remote.
import { execFileSync } from 'node:child_process';

function headCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'main';
  }
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'tasklets',
  entryPoints: ['lib/index.ts', 'lib/node.ts', 'lib/worker.ts'],
  out: 'docs/api',
  tsconfig: 'tsconfig.json',
  readme: 'README.md',
  excludeInternal: true,
  excludePrivate: true,
  excludeProtected: true,
  includeVersion: true,
  sort: ['source-order'],
  sourceLinkTemplate: 'https://github.com/tasklets-js/tasklets/blob/{gitRevision}/{path}#L{line}',
  disableGit: true,
  displayBasePath: '.',
  gitRevision: headCommit(),
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  treatWarningsAsErrors: true,
};
