#!/usr/bin/env node
// Runs before `npm test`. The Postgres store/queue tests start a real PostgreSQL of their own
// (initdb in a temporary folder) and never skip. On a machine without one, install it where we
// can (root with apt-get, as on CI); otherwise stop here, loudly, saying how to install it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const has = (command, args) => {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
};
// Debian keeps initdb off PATH, in /usr/lib/postgresql/<version>/bin (test/helpers/postgres-server.ts looks there too).
const installed = () => {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return true;
  const root = '/usr/lib/postgresql';
  if (existsSync(root) && readdirSync(root).some((version) => existsSync(join(root, version, 'bin', 'initdb')))) return true;
  return has('initdb', ['--version']);
};

if (installed()) process.exit(0);

const banner = (lines) => console.error(['', '='.repeat(78), ...lines.map((line) => `  ${line}`), '='.repeat(78), ''].join('\n'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (isRoot && has('apt-get', ['--version'])) {
  banner(['PostgreSQL is not installed: the Postgres store/queue tests need a real one.', 'Installing it now with apt-get (you are root)…']);
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['update']).status === 0 && apt(['install', '-y', 'postgresql']).status === 0 && installed()) process.exit(0);
}

banner([
  'PostgreSQL is not installed, and the Postgres store/queue tests need a real one (they never skip).',
  'Install it, then run npm test again:',
  '  Debian/Ubuntu: sudo apt-get install postgresql',
  '  macOS:         brew install postgresql',
  'Elsewhere, point PG_BIN at the folder holding initdb and postgres.',
]);
process.exit(1);
