/**
 * What a user sees of the package before running it (issue 13, part 8): the licence,
 * the changelog, where the code, the issues and the docs are — and README links that
 * work from the registry's page, where the rest of the repository is not beside the
 * README: they point into the repository by absolute URL, at files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const REPO = 'https://github.com/tasklets-js/tasklets';

test('LICENSE is MIT with the copyright line, and ships with the changelog', () => {
  expect(pkg.license).toBe('MIT');
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the tasklets authors\n/);
  expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  expect(pkg.files).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'README.md']));
});

test('CHANGELOG.md keeps an Unreleased section above 0.1.0, with links to compare them', () => {
  const log = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const versions = [...log.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
  expect(versions.slice(0, 2)).toEqual(['Unreleased', '0.1.0']);
  expect(log).toContain(`[Unreleased]: ${REPO}/compare/v${pkg.version}...HEAD`);
});

test('package.json says where the code, the issues and the docs are, and which Node it needs', () => {
  expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
  expect(pkg.homepage).toBe(`${REPO}#readme`);
  expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
  expect(pkg.keywords).toEqual(expect.arrayContaining(['tasklets', 'channels', 'csp', 'stackless']));
  expect(pkg.engines).toEqual({ node: '>=20' });
});

test('README links are absolute, and those into the repository name files that exist', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  expect(links.length).toBeGreaterThan(10);
  expect(links.filter((l) => !/^https?:\/\//.test(l) && !l.startsWith('#'))).toEqual([]);
  const missing = links
    .filter((l) => l.startsWith(`${REPO}/blob/main/`) || l.startsWith(`${REPO}/tree/main/`))
    .map((l) => l.replace(/^.*?\/(blob|tree)\/main\//, '').replace(/#.*$/, ''))
    .filter((path) => !existsSync(join(root, path)));
  expect(missing).toEqual([]);
});
