/**
 * Jest's global setup: says once, for the whole run, that the tasklets/nats specs are
 * skipped when no nats-server can be found (each spec file then skips without a word:
 * spec/nats/server.ts). In CI a missing server is a failure, reported by the specs.
 */
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

module.exports = function announce() {
  const inCI = process.env.CI !== undefined && process.env.CI !== '' && !/^(false|0)$/i.test(process.env.CI);
  if (inCI || (process.env.NATS_SERVER ?? '') !== '') return;
  if (spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim() !== '') return;
  if (existsSync('/usr/sbin/nats-server')) return;
  process.stdout.write('\ntasklets/nats specs skipped: no nats-server binary (apt-get install nats-server, or set NATS_SERVER)\n');
};
