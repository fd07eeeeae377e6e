#!/usr/bin/env node
// Runs before `npm test`. The Redis store and queue tests start a real redis-server of their own
// and never skip. On a machine without one, install it where we can (root with apt-get, as on CI
// and fresh Debian machines); otherwise stop here, loudly, saying how to install it.
import { spawnSync } from 'node:child_process';

const has = (command, args) => {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
};

if (has('redis-server', ['--version'])) process.exit(0);

const banner = (lines) => console.error(['', '='.repeat(78), ...lines.map((line) => `  ${line}`), '='.repeat(78), ''].join('\n'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

if (isRoot && has('apt-get', ['--version'])) {
  banner(['redis-server is not installed: the Redis store/queue tests need a real one.', 'Installing it now with apt-get (you are root)…']);
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['update']).status === 0 && apt(['install', '-y', 'redis-server']).status === 0 && has('redis-server', ['--version'])) {
    process.exit(0);
  }
}

banner([
  'redis-server is not installed, and the Redis store/queue tests need a real one (they never skip).',
  'Install it, then run npm test again:',
  '  Debian/Ubuntu: sudo apt-get install redis-server',
  '  macOS:         brew install redis',
]);
process.exit(1);
