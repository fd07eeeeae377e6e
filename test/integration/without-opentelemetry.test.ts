/**
 * `@opentelemetry/api` is an optional peer (#17 item 2): without it installed, hookguard imports
 * and receives as before, in ESM and CommonJS. The package is bundled as tsup builds it (esbuild,
 * platform node) into a directory with no node_modules at all, then run by a fresh node.
 * (Checked by hand against the tsup dist too: see the commit adding this file.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hookguard-no-otel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = `
const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64') });
const receiver = createReceiver({ provider });
const outcomes = [];
receiver.onDelivery((event) => outcomes.push(event.outcome));
receiver.on('invoice.paid', () => {});

const signed = signRequest(provider, { type: 'invoice.paid' });
const ok = await receiver.receive({ method: 'POST', headers: signed.headers, body: signed.body });
const forged = await receiver.receive({ method: 'POST', headers: { ...signed.headers, 'webhook-signature': 'v1,AAAA' }, body: signed.body });
let resolvable = true;
try { await import('@opentelemetry/api'); } catch { resolvable = false; }
console.log(JSON.stringify({ statuses: [ok.status, forged.status], outcomes, resolvable }));
`;

async function run(format: 'esm' | 'cjs'): Promise<unknown> {
  const entry = join(dir, `entry-${format}.ts`);
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  writeFileSync(entry, `import { createReceiver, providers } from ${JSON.stringify(join(src, 'index.ts'))};\nimport { signRequest } from ${JSON.stringify(join(src, 'testing/index.ts'))};\n${format === 'cjs' ? `(async () => {${APP}})();` : APP}`);
  const outfile = join(dir, format === 'esm' ? 'app.mjs' : 'app.cjs');
  await build({ entryPoints: [entry], outfile, bundle: true, format, platform: 'node', target: 'node20', logLevel: 'silent' });
  return JSON.parse(execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' }));
}

describe('without @opentelemetry/api installed', () => {
  it.each(['esm', 'cjs'] as const)('%s: imports, verifies (200), refuses a forged delivery (401) and reports both to onDelivery (#17)', async (format) => {
    expect(await run(format)).toEqual({ statuses: [200, 401], outcomes: ['ok', 'signature_mismatch'], resolvable: false });
  });
});
