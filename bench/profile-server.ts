/**
 * Profiles one end-to-end case's server under load: starts bench/e2e/server.ts with
 * `--cpu-prof`, drives it with the load generator for 8 s, stops it, and leaves the profile in
 * bench/.scratch/profiles for bench/profile-summary.ts. The measured hookguard is the built
 * package, as in `npm run bench` (run `npm run build` first).
 *
 *   npx tsx bench/profile-server.ts hookguard            # or floor, handwritten, svix, …
 *   npx tsx bench/profile-server.ts octokit github-fixed # the request kind each case expects (e2e/cases.ts)
 *
 * PROFILE_INTERVAL_US=100 samples every 100 µs instead of node's 1 ms: a function costing a few µs
 * per request then gets enough samples to compare two cases (the profiler's own cost grows too).
 */
import { execFileSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import './lib/deliveries.js'; // the run's secrets, inherited by the server and the load generator
import { CASES, PATH } from './e2e/cases.js';

const name = process.argv[2] ?? 'hookguard';
const spec = CASES.find((c) => c.name === name);
if (!spec) throw new Error(`unknown case ${name}; one of ${CASES.map((c) => c.name).join(', ')}`);
const kind = process.argv[3] ?? spec.request;
const dir = fileURLToPath(new URL('./.scratch/profiles', import.meta.url));
const child = fork(fileURLToPath(new URL('./e2e/server.ts', import.meta.url)), [name], {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...interval(), '--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
function interval(): string[] {
  const us = process.env.PROFILE_INTERVAL_US;
  return us === undefined || us === '' ? [] : [`--cpu-prof-interval=${Number(us)}`];
}
const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
const load = fileURLToPath(new URL('./e2e/load.ts', import.meta.url));
console.log(execFileSync(process.execPath, ['--import', 'tsx', load, `http://127.0.0.1:${port}${PATH}`, kind, '8', '10']).toString().trim());
child.disconnect();
await new Promise((resolve) => child.once('exit', resolve));
console.log(`profile written to ${dir} (the largest file is the main thread)`);
