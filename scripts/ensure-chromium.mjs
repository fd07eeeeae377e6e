#!/usr/bin/env node
// Runs before `npm test`. The inspector page test (test/cli/inspector.test.ts) drives a real headless
// Chromium through playwright-core and never skips. Playwright's own browser download cannot be used
// here, so it runs Debian's `chromium` package (or CHROMIUM_PATH). Install it where we can (root with
// apt-get, as on CI); otherwise stop here, loudly, saying how to install it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const banner = (lines) => console.error(['', '='.repeat(78), ...lines.map((line) => `  ${line}`), '='.repeat(78), ''].join('\n'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const has = (command, args) => {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
};

if (isRoot && has('apt-get', ['--version'])) {
  banner([`${path} is not installed: the inspector page test needs a real Chromium.`, 'Installing Debian\'s chromium package now with apt-get (you are root)…']);
  const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['update']).status === 0 && apt(['install', '-y', '--no-install-recommends', 'chromium']).status === 0 && existsSync(path)) process.exit(0);
}

banner([
  `${path} is not installed, and the inspector page test needs a real Chromium (it never skips).`,
  'Install it, then run npm test again (or point CHROMIUM_PATH at a Chromium or Chrome binary):',
  '  Debian/Ubuntu: sudo apt-get install chromium',
  '  macOS:         CHROMIUM_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" npm test',
]);
process.exit(1);
