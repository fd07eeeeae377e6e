/**
 * `npm run bench:bundle`: what a minimal receiver costs a serverless deploy (#15) — the bundle
 * (esbuild --bundle --minify, min and gzip) and the cold start (a fresh `node` importing the
 * package unbundled and answering one delivery: whole-process CPU and wall), for hookguard's
 * adapters and for standardwebhooks, svix and stripe's constructEvent, in one run. hookguard is
 * measured from its built dist/ (`npm run bench:bundle` builds first).
 *
 *   npm run bench:bundle [-- --rounds 3]     # default 9 cold-start rounds; updates bench/RESULTS.md
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { isMain, median, option, table } from './lib/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SWH_SECRET = `whsec_${Buffer.from('bench-bundle-secret-32-bytes!!!!').toString('base64')}`;
const PLAIN_SECRET = 'bench-bundle-secret';

interface Case {
  name: string;
  delivery: 'swh' | 'stripe';
  /** esbuild platform: neutral for fetch and the peers (edge runtimes), node for the Node adapters. */
  platform: 'neutral' | 'node';
  /** Whether the cold start is measured (nodeHandler listens on a socket: size only). */
  cold: boolean;
  source: string;
}

const READ = `const d = JSON.parse(process.env.DELIVERY);\n`;
const receiverOf = (adapter: string, preset: string, options: string) => `import { createReceiver } from 'hookguard';
import { ${preset} } from 'hookguard/providers';
import { ${adapter} } from 'hookguard/${adapter.replace('Handler', '')}';
const receiver = createReceiver({ provider: ${preset}(${options}) });
receiver.on('invoice.paid', () => {});
const handle = ${adapter}(receiver);
`;
const FETCH = `${READ}const res = await handle(new Request('http://localhost/webhooks', { method: 'POST', headers: d.headers, body: d.body }));
if (res.status !== 200) throw new Error('answered ' + res.status + ' ' + (await res.text()));
`;
const LAMBDA = `${READ}const res = await handle({ version: '2.0', rawPath: '/webhooks', headers: d.headers, body: d.body, isBase64Encoded: false, requestContext: { http: { method: 'POST', path: '/webhooks' } } });
if (res.statusCode !== 200) throw new Error('answered ' + res.statusCode + ' ' + res.body);
`;

const CASES: Case[] = [
  { name: 'hookguard fetchHandler + standardWebhooks', delivery: 'swh', platform: 'neutral', cold: true, source: receiverOf('fetchHandler', 'standardWebhooks', `{ secret: '${SWH_SECRET}' }`) + FETCH },
  { name: 'hookguard fetchHandler + stripe (HMAC)', delivery: 'stripe', platform: 'neutral', cold: true, source: receiverOf('fetchHandler', 'stripe', `{ secret: '${PLAIN_SECRET}' }`) + FETCH },
  { name: 'hookguard lambdaHandler + stripe', delivery: 'stripe', platform: 'node', cold: true, source: receiverOf('lambdaHandler', 'stripe', `{ secret: '${PLAIN_SECRET}' }`) + LAMBDA },
  {
    name: 'hookguard nodeHandler + stripe',
    delivery: 'stripe',
    platform: 'node',
    cold: false,
    source: `import { createServer } from 'node:http';\n${receiverOf('nodeHandler', 'stripe', `{ secret: '${PLAIN_SECRET}' }`)}createServer(handle).listen(0, '127.0.0.1');\n`,
  },
  { name: 'standardwebhooks Webhook.verify (bare)', delivery: 'swh', platform: 'neutral', cold: true, source: `import { Webhook } from 'standardwebhooks';\n${READ}new Webhook('${SWH_SECRET}').verify(d.body, d.headers);\n` },
  { name: 'svix Webhook.verify (bare)', delivery: 'swh', platform: 'neutral', cold: true, source: `import { Webhook } from 'svix';\n${READ}new Webhook('${SWH_SECRET}').verify(d.body, d.headers);\n` },
  {
    name: 'stripe webhooks.constructEvent (platform node)',
    delivery: 'stripe',
    platform: 'node',
    cold: true,
    source: `import Stripe from 'stripe';\n${READ}new Stripe('sk_test_bench').webhooks.constructEvent(d.body, d.headers['stripe-signature'], '${PLAIN_SECRET}');\n`,
  },
];

const REPORT = `\nconst u = process.resourceUsage(); process.stdout.write(JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));\n`;

export interface BundleRow {
  name: string;
  minBytes: number;
  gzipBytes: number;
  /** Medians over the rounds; undefined where the cold start is not measured. */
  cpuMs?: number;
  wallMs?: number;
}

export interface BundleReport {
  rows: BundleRow[];
  bare: { cpuMs: number; wallMs: number };
  rounds: number;
}

/** One delivery per scheme, signed by the sender's own library. */
function deliveries(): Record<Case['delivery'], { headers: Record<string, string>; body: string }> {
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { id: 'in_1', amount: 100 } });
  const now = new Date();
  const swh = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(SWH_SECRET).sign('msg_1', now, body) };
  const stripe = { 'stripe-signature': new Stripe('sk_test_bench').webhooks.generateTestHeaderString({ payload: body, secret: PLAIN_SECRET }) };
  return { swh: { body, headers: { 'content-type': 'application/json', ...swh } }, stripe: { body, headers: { 'content-type': 'application/json', ...stripe } } };
}

/** A scratch project outside the repo (so tsconfig paths do not redirect `hookguard` to src/), resolving packages from the repo. */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-bundle-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'hookguard'), 'dir');
  for (const name of ['standardwebhooks', 'svix', 'stripe', 'tweetnacl', 'raw-body', 'zod']) {
    const target = join(ROOT, 'node_modules', name);
    if (existsSync(target)) symlinkSync(target, join(dir, 'node_modules', name), 'dir');
  }
  return dir;
}

const slug = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

async function bundleSize(dir: string, item: Case): Promise<{ minBytes: number; gzipBytes: number }> {
  const entry = join(dir, `${slug(item.name)}.mjs`);
  writeFileSync(entry, item.source);
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: item.platform,
    mainFields: item.platform === 'neutral' ? ['module', 'main'] : undefined,
    external: ['node:*'],
    nodePaths: [join(ROOT, 'node_modules')],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

function coldStart(dir: string, file: string, delivery: unknown): { cpuMs: number; wallMs: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [file], { cwd: dir, env: { PATH: process.env.PATH, DELIVERY: JSON.stringify(delivery) }, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${file} failed: ${child.stderr}`);
  return { cpuMs: (JSON.parse(child.stdout) as { cpuMs: number }).cpuMs, wallMs };
}

export async function runBundle(options: { rounds: number; log?: (line: string) => void }): Promise<BundleReport> {
  const dir = scratchProject();
  try {
    const signed = deliveries();
    const rows: BundleRow[] = [];
    for (const item of CASES) rows.push({ name: item.name, ...(await bundleSize(dir, item)) });
    // Cold starts: every contender (and a bare `node`) once per round, in turn, so drift hits all alike.
    const cold = [{ name: 'bare', source: 'process.env.DELIVERY;\n', delivery: 'swh' as const }, ...CASES.filter((item) => item.cold)];
    const samples = new Map(cold.map((item) => [item.name, { cpuMs: [] as number[], wallMs: [] as number[] }]));
    for (const item of cold) writeFileSync(join(dir, `cold-${slug(item.name)}.mjs`), item.source + REPORT);
    for (let round = 0; round < options.rounds; round++) {
      for (const item of cold) {
        const sample = coldStart(dir, join(dir, `cold-${slug(item.name)}.mjs`), signed[item.delivery]);
        samples.get(item.name)?.cpuMs.push(sample.cpuMs);
        samples.get(item.name)?.wallMs.push(sample.wallMs);
      }
      options.log?.(`cold-start round ${round + 1}/${options.rounds}`);
    }
    const medians = (name: string) => ({ cpuMs: median(samples.get(name)?.cpuMs ?? []), wallMs: median(samples.get(name)?.wallMs ?? []) });
    for (const row of rows) if (samples.has(row.name)) Object.assign(row, medians(row.name));
    return { rows, bare: medians('bare'), rounds: options.rounds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** The table for README and RESULTS.md, with the #15 targets checked against standardwebhooks. */
export function bundleMarkdown(report: BundleReport): string {
  const { rows, bare } = report;
  const row = (name: string): BundleRow => rows.find((item) => item.name === name) as BundleRow;
  const swh = row('standardwebhooks Webhook.verify (bare)');
  const body = rows.map((item) => [
    item.name.startsWith('hookguard') ? `**${item.name}**` : item.name,
    kb(item.minBytes),
    kb(item.gzipBytes),
    item.cpuMs === undefined ? '—' : `${ms(item.cpuMs)} (+${ms(item.cpuMs - bare.cpuMs)})`,
    item.wallMs === undefined ? '—' : `${ms(item.wallMs)} (+${ms(item.wallMs - bare.wallMs)})`,
  ]);
  const met = (ok: boolean): string => (ok ? 'met' : 'not met');
  const targets = ['hookguard fetchHandler + stripe (HMAC)', 'hookguard fetchHandler + standardWebhooks'].map((name) => {
    const item = row(name);
    const ratio = item.gzipBytes / swh.gzipBytes;
    const wall = ((item.wallMs as number) - bare.wallMs) / ((swh.wallMs as number) - bare.wallMs);
    const cpu = ((item.cpuMs as number) - bare.cpuMs) / ((swh.cpuMs as number) - bare.cpuMs);
    return `- ${name}: ${kb(item.gzipBytes)} gzip (target ≤ 12 KB: ${met(item.gzipBytes <= 12 * 1024)}); ${ratio.toFixed(2)}× standardwebhooks' gzip (target ≤ 2.5×: ${met(ratio <= 2.5)}); import + first delivery over bare node: ${wall.toFixed(2)}× standardwebhooks' wall, ${cpu.toFixed(2)}× its CPU (target ≤ 1.5×: ${met(wall <= 1.5 && cpu <= 1.5)})`;
  });
  return (
    `esbuild --bundle --minify (ESM; platform neutral for fetch and the peers, node for the Node adapters; \`node:*\` external), gzip -9. ` +
    `Cold start: a fresh \`node ${process.version}\` importing the package unbundled and answering one delivery signed by the sender's own library; ` +
    `whole-process CPU and wall, median of ${report.rounds} rounds, contenders in turn; in brackets, over a bare \`node\` (${ms(bare.cpuMs)} CPU, ${ms(bare.wallMs)} wall).\n\n` +
    `${table(['minimal receiver', 'minified', 'gzip', 'cold start CPU', 'cold start wall'], body)}\n\n${targets.join('\n')}`
  );
}

const START = '<!-- bundle:start -->';
const END = '<!-- bundle:end -->';

/** Puts `markdown` between the bundle markers of `file` (appending a section when they are absent). */
export function writeSection(file: string, markdown: string, heading: string): void {
  const text = readFileSync(file, 'utf8');
  const block = `${START}\n${markdown}\n${END}`;
  const at = text.indexOf(START);
  writeFileSync(file, at === -1 ? `${text.trimEnd()}\n\n${heading}\n\n${block}\n` : text.slice(0, at) + block + text.slice(text.indexOf(END) + END.length));
}

if (isMain(import.meta.url)) {
  const markdown = bundleMarkdown(await runBundle({ rounds: Number(option('rounds', '9')), log: (line) => console.error(line) }));
  writeSection(join(ROOT, 'bench', 'RESULTS.md'), markdown, '## Bundle size and cold start (`npm run bench:bundle`)');
  console.log(markdown);
}
