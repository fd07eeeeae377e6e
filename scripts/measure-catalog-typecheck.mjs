// Compile-time cost of the catalogs in a user's project (#16): `tsc --extendedDiagnostics` on
// scratch projects that use hookguard's built package (run `npm run build` first) and, for
// comparison, @octokit/webhooks, with the types packages from this repository's node_modules.
//   node scripts/measure-catalog-typecheck.mjs [runs=3]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 3);
const scratch = mkdtempSync(join(tmpdir(), 'hookguard-ctime-'));

/** A project's node_modules: hookguard as packed (package.json + dist), the packages it names linked. */
function install(dir, packages) {
  const modules = join(dir, 'node_modules');
  for (const scope of ['@octokit', '@slack', '@clerk']) mkdirSync(join(modules, scope), { recursive: true });
  cpSync(join(root, 'package.json'), join(modules, 'hookguard', 'package.json'));
  cpSync(join(root, 'dist'), join(modules, 'hookguard', 'dist'), { recursive: true });
  for (const name of packages) symlinkSync(join(root, 'node_modules', name), join(modules, name), 'dir');
}
const ALL = ['@octokit/openapi-webhooks-types', 'stripe', '@slack/types', 'discord-api-types', '@clerk/backend'];

const tsconfig = {
  compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: true, types: [], noEmit: true },
  files: ['index.ts'],
};

// [packages installed, source]: a GitHub user has octokit's types only; the last project has every catalog.
const projects = {
  'hookguard github': [['@octokit/openapi-webhooks-types'], `import { createReceiver, providers } from 'hookguard';
const receiver = createReceiver({ provider: providers.github({ secret: 's' }) });
receiver.on('issues.opened', ({ payload }) => payload.issue.number + 1);
receiver.on('pull_request', ({ payload }) => payload.pull_request.title.length);
`],
  'hookguard, untyped preset (baseline)': [[], `import { createReceiver, providers } from 'hookguard';
const receiver = createReceiver({ provider: providers.shopify({ secret: 's' }) });
receiver.on('orders/create', ({ payload }) => payload);
`],
  '@octokit/webhooks': [['@octokit/webhooks'], `import { Webhooks } from '@octokit/webhooks';
const webhooks = new Webhooks({ secret: 's' });
webhooks.on('issues.opened', ({ payload }) => payload.issue.number + 1);
webhooks.on('pull_request', ({ payload }) => payload.pull_request.title.length);
`],
  'hookguard, one handler per catalog': [ALL, `import { createReceiver, providers } from 'hookguard';
createReceiver({ provider: providers.github({ secret: 's' }) }).on('issues.opened', ({ payload }) => payload.issue.number + 1);
createReceiver({ provider: providers.stripe({ secret: 's' }) }).on('invoice.paid', ({ payload }) => payload.data.object.id);
createReceiver({ provider: providers.slack({ signingSecret: 's' }) }).on('app_mention', ({ payload }) => payload.event.text);
createReceiver({ provider: providers.discord({ publicKey: 'k' }) }).on('APPLICATION_COMMAND', ({ payload }) => payload.data.name);
createReceiver({ provider: providers.clerk({ secret: 's' }) }).on('user.created', ({ payload }) => payload.data.id);
`],
};

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const pick = (text, label) => Number(new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(text)?.[1]);
// Runs are interleaved (every project once per round) so that a busy machine slows all alike.
try {
  const rows = new Map();
  for (const [name, [packages, source]] of Object.entries(projects)) {
    const dir = join(scratch, name.replace(/\W+/g, '-'));
    mkdirSync(dir);
    install(dir, packages);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(dir, 'index.ts'), source);
    rows.set(name, { dir, runs: [] });
  }
  for (let i = 0; i < runs; i++) {
    for (const { dir, runs: done } of rows.values()) {
      const out = execFileSync(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics'], { encoding: 'utf8' });
      done.push({ files: pick(out, 'Files'), memoryMB: Math.round(pick(out, 'Memory used') / 1024), checkS: pick(out, 'Check time'), totalS: pick(out, 'Total time'), instantiations: pick(out, 'Instantiations'), types: pick(out, 'Types') });
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const [name, { runs: done }] of rows) {
    const first = done[0];
    console.log(`${name}: files ${first.files}, types ${first.types}, instantiations ${first.instantiations}, memory ${median(done.map((r) => r.memoryMB))} MB, check ${done.map((r) => r.checkS).join('/')} s (median ${median(done.map((r) => r.checkS))}), total median ${median(done.map((r) => r.totalS))} s`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
