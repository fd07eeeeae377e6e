/**
 * `npm run bench:bundle`: what a minimal receiver costs a serverless deploy (#15) — the bundle
 * (esbuild --bundle --minify, min and gzip) and the cold start (a fresh `node` process importing
 * the package and answering one delivery: whole-process CPU and wall), for hookguard's adapters
 * and for standardwebhooks, svix, @octokit/webhooks and stripe's constructEvent, in one run.
 *
 *   npm run bench:bundle               # 9 cold-start rounds
 *   npm run bench:bundle -- --rounds 3
 *
 * hookguard is measured from its built dist/ (npm run build first; `npm run bench:bundle` does).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { build } from 'esbuild';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { table } from './lib/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SWH_SECRET = `whsec_${Buffer.from('bench-bundle-secret-32-bytes!!!!').toString('base64')}`;
const PLAIN_SECRET = 'bench-bundle-secret';

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/** One signed delivery per scheme, signed by the sender's own library. */
function deliveries(): Record<'swh' | 'stripe' | 'github', Delivery> {
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { id: 'in_1', amount: 100 }, action: 'opened' });
  const now = new Date();
  const swhSignature = new Webhook(SWH_SECRET).sign('msg_1', now, body);
  const stripeHeader = new Stripe('sk_test_bench').webhooks.generateTestHeaderString({ payload: body, secret: PLAIN_SECRET });
  return {
    swh: { body, headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': swhSignature } },
    stripe: { body, headers: { 'content-type': 'application/json', 'stripe-signature': stripeHeader } },
    github: { body, headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'x-hub-signature-256': '' } },
  };
}

interface Case {
  name: string;
  delivery: 'swh' | 'stripe' | 'github';
  /** esbuild platform: neutral for the fetch receiver (edge runtimes), node elsewhere. */
  platform: 'neutral' | 'node';
  /** Packages the app brings itself (express): left out of the bundle. */
  external?: string[];
  /** Whether the cold start is measured (node/express answer over a real socket: size only). */
  cold: boolean;
  source: string;
}

const READ = `const d = JSON.parse(process.env.DELIVERY);\n`;
const FETCH_APP = (preset: string, options: string) => `import { createReceiver } from 'hookguard';
import { ${preset} } from 'hookguard/providers';
import { fetchHandler } from 'hookguard/fetch';
const receiver = createReceiver({ provider: ${preset}(${options}) });
receiver.on('invoice.paid', () => {});
const handle = fetchHandler(receiver);
${READ}const res = await handle(new Request('http://localhost/webhooks', { method: 'POST', headers: d.headers, body: d.body }));
if (res.status !== 200) throw new Error('answered ' + res.status + ' ' + (await res.text()));
`;

const CASES: Case[] = [
  { name: 'hookguard fetchHandler + standardWebhooks', delivery: 'swh', platform: 'neutral', cold: true, source: FETCH_APP('standardWebhooks', `{ secret: '${SWH_SECRET}' }`) },
  { name: 'hookguard fetchHandler + stripe (HMAC)', delivery: 'stripe', platform: 'neutral', cold: true, source: FETCH_APP('stripe', `{ secret: '${PLAIN_SECRET}' }`) },
  {
    name: 'hookguard lambdaHandler + stripe',
    delivery: 'stripe',
    platform: 'node',
    cold: true,
    source: `import { createReceiver } from 'hookguard';
import { stripe } from 'hookguard/providers';
import { lambdaHandler } from 'hookguard/lambda';
const receiver = createReceiver({ provider: stripe({ secret: '${PLAIN_SECRET}' }) });
receiver.on('invoice.paid', () => {});
const handle = lambdaHandler(receiver);
${READ}const res = await handle({ version: '2.0', rawPath: '/webhooks', headers: d.headers, body: d.body, isBase64Encoded: false, requestContext: { http: { method: 'POST', path: '/webhooks' } } });
if (res.statusCode !== 200) throw new Error('answered ' + res.statusCode + ' ' + res.body);
`,
  },
  {
    name: 'hookguard nodeHandler + stripe',
    delivery: 'stripe',
    platform: 'node',
    cold: false,
    source: `import { createServer } from 'node:http';
import { createReceiver } from 'hookguard';
import { stripe } from 'hookguard/providers';
import { nodeHandler } from 'hookguard/node';
const receiver = createReceiver({ provider: stripe({ secret: '${PLAIN_SECRET}' }) });
receiver.on('invoice.paid', () => {});
createServer(nodeHandler(receiver)).listen(0, '127.0.0.1');
`,
  },
  {
    name: 'hookguard expressMiddleware + stripe (express external)',
    delivery: 'stripe',
    platform: 'node',
    external: ['express'],
    cold: false,
    source: `import express from 'express';
import { createReceiver } from 'hookguard';
import { stripe } from 'hookguard/providers';
import { expressMiddleware } from 'hookguard/express';
const receiver = createReceiver({ provider: stripe({ secret: '${PLAIN_SECRET}' }) });
receiver.on('invoice.paid', () => {});
express().post('/webhooks', expressMiddleware(receiver)).listen(0, '127.0.0.1');
`,
  },
  {
    name: 'standardwebhooks Webhook.verify (bare)',
    delivery: 'swh',
    platform: 'neutral',
    cold: true,
    source: `import { Webhook } from 'standardwebhooks';
${READ}new Webhook('${SWH_SECRET}').verify(d.body, d.headers);
`,
  },
  {
    name: 'svix Webhook.verify (bare)',
    delivery: 'swh',
    platform: 'neutral',
    cold: true,
    source: `import { Webhook } from 'svix';
${READ}new Webhook('${SWH_SECRET}').verify(d.body, d.headers);
`,
  },
  {
    name: '@octokit/webhooks verifyAndReceive',
    delivery: 'github',
    platform: 'neutral',
    cold: true,
    source: `import { Webhooks } from '@octokit/webhooks';
const webhooks = new Webhooks({ secret: '${PLAIN_SECRET}' });
webhooks.on('issues', () => {});
${READ}await webhooks.verifyAndReceive({ id: d.headers['x-github-delivery'], name: 'issues', payload: d.body, signature: d.headers['x-hub-signature-256'] });
`,
  },
  {
    name: 'stripe webhooks.constructEvent (platform node)',
    delivery: 'stripe',
    platform: 'node',
    cold: true,
    source: `import Stripe from 'stripe';
${READ}new Stripe('sk_test_bench').webhooks.constructEvent(d.body, d.headers['stripe-signature'], '${PLAIN_SECRET}');
`,
  },
];

const BARE = `process.env.DELIVERY;\n`;
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

/** A scratch project outside the repo (so tsconfig paths do not redirect `hookguard` to src/), resolving packages from the repo. */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookguard-bundle-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'hookguard'), 'dir');
  for (const name of ['standardwebhooks', 'svix', '@octokit', 'stripe', 'express', 'tweetnacl', 'raw-body', 'zod']) {
    if (name.startsWith('@')) mkdirSync(join(dir, 'node_modules', name), { recursive: true });
    const target = join(ROOT, 'node_modules', name);
    if (name === '@octokit') for (const sub of ['webhooks', 'webhooks-methods', 'request-error', 'openapi-webhooks-types', 'webhooks-types']) trySymlink(join(target, sub), join(dir, 'node_modules', name, sub));
    else trySymlink(target, join(dir, 'node_modules', name));
  }
  return dir;
}

function trySymlink(target: string, path: string): void {
  try {
    symlinkSync(target, path, 'dir');
  } catch {
    // not installed: esbuild's nodePaths still finds what the repo has
  }
}

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
    external: ['node:*', ...(item.external ?? [])],
    nodePaths: [join(ROOT, 'node_modules')],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

function coldStart(dir: string, file: string, delivery: Delivery): { cpuMs: number; wallMs: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [file], { cwd: dir, env: { PATH: process.env.PATH, DELIVERY: JSON.stringify(delivery) }, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${file} failed: ${child.stderr}`);
  const { cpuMs } = JSON.parse(child.stdout) as { cpuMs: number };
  return { cpuMs, wallMs };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const slug = (name: string): string => name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();

export async function runBundle(options: { rounds: number; log?: (line: string) => void }): Promise<BundleReport> {
  const log = options.log ?? (() => undefined);
  const dir = scratchProject();
  try {
    const signed = deliveries();
    signed.github.headers['x-hub-signature-256'] = await octokitSign(PLAIN_SECRET, signed.github.body);
    const rows: BundleRow[] = [];
    for (const item of CASES) {
      rows.push({ name: item.name, ...(await bundleSize(dir, item)) });
      log(`bundled ${item.name}`);
    }
    // Cold starts: every contender once per round, in turn, so drift in the machine's load hits all alike.
    const cold = CASES.filter((item) => item.cold);
    const files = new Map(cold.map((item) => [item.name, join(dir, `cold-${slug(item.name)}.mjs`)]));
    for (const item of cold) writeFileSync(files.get(item.name) as string, item.source + REPORT);
    const bareFile = join(dir, 'cold-bare.mjs');
    writeFileSync(bareFile, BARE + REPORT);
    const samples = new Map<string, { cpuMs: number[]; wallMs: number[] }>([...cold.map((item) => item.name), 'bare'].map((name) => [name, { cpuMs: [], wallMs: [] }]));
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, file, delivery] of [['bare', bareFile, signed.swh] as const, ...cold.map((item) => [item.name, files.get(item.name) as string, signed[item.delivery]] as const)]) {
        const sample = coldStart(dir, file, delivery);
        const into = samples.get(name) as { cpuMs: number[]; wallMs: number[] };
        into.cpuMs.push(sample.cpuMs);
        into.wallMs.push(sample.wallMs);
      }
      log(`cold-start round ${round + 1}/${options.rounds}`);
    }
    const bareSamples = samples.get('bare') as { cpuMs: number[]; wallMs: number[] };
    const bare = { cpuMs: median(bareSamples.cpuMs), wallMs: median(bareSamples.wallMs) };
    for (const row of rows) {
      const taken = samples.get(row.name);
      if (taken) Object.assign(row, { cpuMs: median(taken.cpuMs), wallMs: median(taken.wallMs) });
    }
    return { rows, bare, rounds: options.rounds };
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
  const over = (value: number, base: number): string => `${(value / base).toFixed(2)}×`;
  const targets = ['hookguard fetchHandler + stripe (HMAC)', 'hookguard fetchHandler + standardWebhooks'].map((name) => {
    const item = row(name);
    const gzipOk = item.gzipBytes <= 12 * 1024;
    const ratio = item.gzipBytes / swh.gzipBytes;
    const startRatio = ((item.wallMs as number) - bare.wallMs) / ((swh.wallMs as number) - bare.wallMs);
    const cpuRatio = ((item.cpuMs as number) - bare.cpuMs) / ((swh.cpuMs as number) - bare.cpuMs);
    return `- ${name}: ${kb(item.gzipBytes)} gzip (target ≤ 12 KB: ${gzipOk ? 'met' : 'not met'}); ${over(item.gzipBytes, swh.gzipBytes)} standardwebhooks' gzip (target ≤ 2.5×: ${ratio <= 2.5 ? 'met' : 'not met'}); import + first delivery over bare node: ${startRatio.toFixed(2)}× standardwebhooks' wall, ${cpuRatio.toFixed(2)}× its CPU (target ≤ 1.5×: ${startRatio <= 1.5 && cpuRatio <= 1.5 ? 'met' : 'not met'})`;
  });
  return (
    `esbuild --bundle --minify (ESM; platform neutral for fetch and the peers, node for the Node adapters; \`node:*\` external), gzip -9. ` +
    `Cold start: a fresh \`node ${process.version}\` process importing the package unbundled and answering one delivery signed by the sender's own library; ` +
    `whole-process CPU (user + system) and wall, median of ${report.rounds} rounds, contenders in turn; in brackets, over a bare \`node\` (${ms(bare.cpuMs)} CPU, ${ms(bare.wallMs)} wall). ` +
    `The Node and Express receivers listen on a socket, so only their size is measured.\n\n` +
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
  const next = at === -1 ? `${text.trimEnd()}\n\n${heading}\n\n${block}\n` : text.slice(0, at) + block + text.slice(text.indexOf(END) + END.length);
  writeFileSync(file, next);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 9;
  const report = await runBundle({ rounds, log: (line) => console.error(line) });
  const markdown = bundleMarkdown(report);
  writeSection(join(ROOT, 'bench', 'RESULTS.md'), markdown, '## Bundle size and cold start (`npm run bench:bundle`)');
  console.log(markdown);
}
