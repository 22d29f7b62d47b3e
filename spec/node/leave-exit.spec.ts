/**
 * Issue 13.3 in a real process: a `break` out of a `for await` over `fromReadable`
 * destroys the stream, and the exit check (on with `tasklets/node`) finds nothing
 * parked. Before: `destroyed: false`, and exit code 1 with a deadlock report naming the
 * library's own `fromReadable` pump.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

test('break out of fromReadable(createReadStream(f)): the stream is destroyed, the process exits 0 with no report', async () => {
  const file = path.join(__dirname, '..', 'fixtures', 'exit-break-from-readable.ts');
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file], { cwd: path.join(__dirname, '..', '..'), timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout.trim())).toEqual({ chunks: 3, destroyed: true });
});
