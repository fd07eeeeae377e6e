/**
 * Load and soak (#6): mixed traffic — valid deliveries with unique ids, duplicates of recently
 * answered ones, forgeries, stale timestamps, oversized bodies — at the highest rate the machine
 * sustains, for a bounded time and number of requests, on loopback only. The server
 * (bench/soak-server.ts) runs in its own process; this process generates the load (autocannon).
 *
 *   npm run soak                                   # 120 s, 32 connections
 *   npx tsx bench/soak.ts --duration 20 --connections 16 --out /tmp/SOAK.md
 *
 * Prints, and writes to bench/SOAK.md: requests, answers by status and by kind, handler calls
 * against unique valid ids (must be equal; none handled twice), errors that were not
 * WebhookErrors (must be 0), and the server's RSS at start, peak and end with a timeline
 * showing it flat once the memory store (maxEntries 20,000) is full. Exits 1 when an invariant fails.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { providers } from '../src/providers/index.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '120' },
    connections: { type: 'string', default: '32' },
    'max-requests': { type: 'string', default: '20000000' },
    'max-entries': { type: 'string', default: '20000' },
    out: { type: 'string', default: fileURLToPath(new URL('./SOAK.md', import.meta.url)) },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const MAX_REQUESTS = Number(args['max-requests']);
const MAX_ENTRIES = Number(args['max-entries']);
const MAX_BODY = 16_384;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const stranger = providers.standardWebhooks({ secret: `whsec_${randomBytes(32).toString('base64')}` });

type Kind = 'valid' | 'duplicate' | 'forged' | 'stale' | 'oversized';
/** Every 20 requests: 12 valid, 2 duplicates, 2 forged, 2 stale, 2 oversized. */
const SCHEDULE: Kind[] = ['valid', 'forged', 'valid', 'duplicate', 'valid', 'stale', 'valid', 'oversized', 'valid', 'valid', 'forged', 'valid', 'duplicate', 'valid', 'stale', 'valid', 'oversized', 'valid', 'valid', 'valid'];
const EXPECTED: Record<Kind, { status: number; body: RegExp }> = {
  valid: { status: 200, body: /^\{"ok":true\}$/ },
  duplicate: { status: 200, body: /"duplicate":true/ },
  forged: { status: 401, body: /"signature_mismatch"/ },
  stale: { status: 401, body: /"timestamp_too_old"/ },
  oversized: { status: 413, body: /"body_too_large"/ },
};

interface Prepared {
  headers: Record<string, string>;
  body: string;
}

const filler = 'x'.repeat(MAX_BODY * 2);
let nextId = 0;
let turn = 0;
let validSent = 0;
/** Recently answered valid deliveries, resent as duplicates while their ids are surely still in the store. */
const recent: Prepared[] = [];
let duplicatesSent = 0;
const sentByKind: Record<Kind, number> = { valid: 0, duplicate: 0, forged: 0, stale: 0, oversized: 0 };
const goodByKind: Record<Kind, number> = { valid: 0, duplicate: 0, forged: 0, stale: 0, oversized: 0 };
const badByKind: Record<Kind, number> = { valid: 0, duplicate: 0, forged: 0, stale: 0, oversized: 0 };
const badSamples: string[] = [];
const byStatus: Record<string, number> = {};
/** Valid ids sent whose answer has not come (yet): checked against the server's bitset at the end. */
const pendingValid = new Set<number>();
let validAnswered200 = 0;

function signed(body: string, id: string, timestamp: number, signer = provider): Prepared {
  const { headers } = signer.sign({ body, id, timestamp });
  return { headers: { ...headers, 'content-type': 'application/json' }, body };
}

interface Context {
  kind?: Kind;
  n?: number;
  prepared?: Prepared;
}

function setupRequest(request: { method: string; path: string; headers: Record<string, string>; body: string }, context: Context) {
  let kind = SCHEDULE[turn++ % SCHEDULE.length] as Kind;
  if (kind === 'duplicate' && recent.length === 0) kind = 'valid';
  const now = Math.floor(Date.now() / 1000);
  let prepared: Prepared;
  context.n = undefined;
  if (kind === 'valid') {
    const n = nextId++;
    context.n = n;
    pendingValid.add(n);
    validSent++;
    prepared = signed(JSON.stringify({ type: 'invoice.paid', data: { id: `in_${n}`, amount: n % 10_000 } }), `soak_${n}`, now);
  } else if (kind === 'duplicate') {
    prepared = recent[Math.floor(Math.random() * recent.length)] as Prepared;
    duplicatesSent++;
  } else if (kind === 'forged') {
    prepared = signed(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_forged', amount: 1 } }), `forged_${turn}`, now, stranger);
  } else if (kind === 'stale') {
    prepared = signed(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_stale', amount: 1 } }), `stale_${turn}`, now - 3_600);
  } else {
    prepared = signed(JSON.stringify({ type: 'invoice.paid', data: { id: 'in_big', note: filler } }), `big_${turn}`, now);
  }
  sentByKind[kind]++;
  context.kind = kind;
  context.prepared = prepared;
  request.method = 'POST';
  request.path = '/webhooks';
  request.headers = prepared.headers;
  request.body = prepared.body;
  return request;
}

function onResponse(status: number, body: string, context: Context): void {
  byStatus[status] = (byStatus[status] ?? 0) + 1;
  const kind = context.kind;
  if (kind === undefined) return;
  const expected = EXPECTED[kind];
  const good = status === expected.status && expected.body.test(String(body));
  if (good) goodByKind[kind]++;
  else {
    badByKind[kind]++;
    if (badSamples.length < 10) badSamples.push(`${kind}: ${status} ${String(body).slice(0, 160)}`);
  }
  if (kind === 'valid' && context.n !== undefined) {
    pendingValid.delete(context.n);
    if (good) {
      validAnswered200++;
      recent.push(context.prepared as Prepared);
      if (recent.length > 500) recent.shift();
    }
  }
}

// --- the server process -------------------------------------------------------------------

interface Sample {
  at: number;
  rss: number;
  heapUsed: number;
  storeSize: number;
  handlerCalls: number;
}

interface Check extends Sample {
  doublyHandled: number;
  outOfRange: number;
  marked: number;
  handledOf: number;
  codes: Record<string, number>;
  nonWebhookErrors: number;
  nonWebhookSamples: string[];
}

const child = fork(fileURLToPath(new URL('./soak-server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: { ...process.env, SOAK_SECRET: SECRET, SOAK_MAX_ENTRIES: String(MAX_ENTRIES), SOAK_MAX_BODY: String(MAX_BODY) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let waiting: ((message: { type: string } & Record<string, unknown>) => void)[] = [];
const port = await new Promise<number>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`soak server exited (${code}) before listening`)));
  child.on('message', (message: { type: string; port?: number } & Record<string, unknown>) => {
    if (message.type === 'listening') resolve(message.port as number);
    else {
      const [first, ...rest] = waiting;
      waiting = rest;
      first?.(message);
    }
  });
});
const ask = <T>(message: Record<string, unknown>): Promise<T> =>
  new Promise((resolve) => {
    waiting.push(resolve as (message: unknown) => void);
    child.send(message);
  });

const samples: Sample[] = [];
const start = await ask<Sample>({ type: 'sample' });
samples.push(start);
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    if (sampling) samples.push(await ask<Sample>({ type: 'sample' }));
  }
})();

console.log(`soak: ${DURATION} s, ${CONNECTIONS} connections, at most ${MAX_REQUESTS} requests, memoryStore maxEntries ${MAX_ENTRIES}, server on 127.0.0.1:${port}`);
const began = Date.now();
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: CONNECTIONS,
  duration: DURATION,
  maxOverallRequests: MAX_REQUESTS,
  timeout: 10,
  requests: [{ method: 'POST', path: '/webhooks', setupRequest: setupRequest as never, onResponse: onResponse as never }],
});
const elapsed = (Date.now() - began) / 1000;
await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the server finish what it had in hand
sampling = false;
await sampler;
const end = await ask<Check>({ type: 'check', ids: [...pendingValid] });
child.send({ type: 'stop' });

// --- the verdict ---------------------------------------------------------------------------

const MB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const peak = samples.reduce((max, s) => (s.rss > max.rss ? s : max), start);
const filledAt = samples.find((s) => s.storeSize >= MAX_ENTRIES);
const afterFill = filledAt ? samples.filter((s) => s.at >= filledAt.at) : [];
const tail = afterFill.slice(Math.floor(afterFill.length / 2)); // the second half of the filled period
const uniqueValidHandled = validAnswered200 + end.handledOf;
const checks: [string, boolean, string][] = [
  ['handler calls = unique valid ids handled', end.handlerCalls === uniqueValidHandled, `${end.handlerCalls} calls, ${validAnswered200} valid ids answered 200 + ${end.handledOf} of ${pendingValid.size} cut off at the end that the server had handled`],
  ['no id handled twice', end.doublyHandled === 0 && end.marked === end.handlerCalls, `${end.doublyHandled} handled twice; ${end.marked} ids marked for ${end.handlerCalls} calls`],
  ['every valid delivery answered 200', badByKind.valid === 0, `${badByKind.valid} valid deliveries answered otherwise`],
  ['every duplicate answered 200 duplicate, none handled', badByKind.duplicate === 0, `${goodByKind.duplicate} of ${duplicatesSent}`],
  ['every forgery, stale and oversized delivery refused with its code', badByKind.forged + badByKind.stale + badByKind.oversized === 0, `${badByKind.forged} / ${badByKind.stale} / ${badByKind.oversized} otherwise`],
  ['errors that were not WebhookErrors = 0', end.nonWebhookErrors === 0, `${end.nonWebhookErrors}`],
  ['connection errors and timeouts at the client = 0', result.errors === 0 && result.timeouts === 0, `${result.errors} errors, ${result.timeouts} timeouts`],
  ['memory store bounded', end.storeSize <= MAX_ENTRIES, `${end.storeSize} entries (maxEntries ${MAX_ENTRIES})`],
];
const rssGrowthAfterFill = tail.length > 1 ? (tail.at(-1) as Sample).rss - (tail[0] as Sample).rss : 0;
const heapGrowthAfterFill = tail.length > 1 ? (tail.at(-1) as Sample).heapUsed - (tail[0] as Sample).heapUsed : 0;

const lines: string[] = [];
lines.push('# Soak report (`npm run soak`)', '');
lines.push(`Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.release()}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work shared the machine).`);
lines.push(`Server: Express 5 + hookguard (standardWebhooks, memoryStore maxEntries ${MAX_ENTRIES}, maxBodyBytes ${MAX_BODY}) in its own process on 127.0.0.1; load: autocannon from this process, ${CONNECTIONS} connections, ${DURATION} s.`, '');
lines.push('## Traffic', '');
lines.push(`| | |`, `|---|---|`);
lines.push(`| duration | ${elapsed.toFixed(1)} s |`);
lines.push(`| requests sent | ${result.requests.sent} |`);
lines.push(`| responses | ${result.requests.total} (${Math.round(result.requests.total / elapsed)} /s mean; p50 latency ${result.latency.p50} ms, p99 ${result.latency.p99} ms) |`);
lines.push(`| client errors / timeouts | ${result.errors} / ${result.timeouts} |`, '');
lines.push('| answers by status | count |', '|---|---|');
for (const [status, count] of Object.entries(byStatus).sort()) lines.push(`| ${status} | ${count} |`);
lines.push('', '| kind | sent | answered as expected | otherwise | expected |', '|---|---|---|---|---|');
for (const kind of Object.keys(EXPECTED) as Kind[]) {
  lines.push(`| ${kind} | ${sentByKind[kind]} | ${goodByKind[kind]} | ${badByKind[kind]} | ${EXPECTED[kind].status} ${EXPECTED[kind].body.source.replace(/[\\^$|]/g, '')} |`);
}
lines.push('', '## Deliveries', '');
lines.push(`| | |`, `|---|---|`);
lines.push(`| unique valid ids sent | ${validSent} |`);
lines.push(`| … answered 200 | ${validAnswered200} |`);
lines.push(`| … cut off by the end of the run (no answer) | ${pendingValid.size}, of which the server handled ${end.handledOf} |`);
lines.push(`| handler calls | ${end.handlerCalls} |`);
lines.push(`| ids handled twice | ${end.doublyHandled} |`);
lines.push(`| refusals reported to onError, by code | ${Object.entries(end.codes).map(([code, count]) => `${code} ${count}`).join(', ')} |`);
lines.push(`| errors that were not WebhookErrors | ${end.nonWebhookErrors} |`, '');
lines.push('## Server memory', '');
lines.push(`RSS at start ${MB(start.rss)} MB, peak ${MB(peak.rss)} MB, end ${MB(end.rss)} MB. Heap used (after a forced GC) at start ${MB(start.heapUsed)} MB, end ${MB(end.heapUsed)} MB.`);
if (filledAt) {
  lines.push(`The store reached maxEntries ${((filledAt.at - start.at) / 1000).toFixed(0)} s in; after that ${Math.max(0, uniqueValidHandled - MAX_ENTRIES)} more unique ids went through it. Over the second half of the filled period RSS moved ${rssGrowthAfterFill >= 0 ? '+' : ''}${MB(rssGrowthAfterFill)} MB and the heap ${heapGrowthAfterFill >= 0 ? '+' : ''}${MB(heapGrowthAfterFill)} MB.`);
}
lines.push('', '| t (s) | RSS (MB) | heap used (MB) | store entries | handler calls |', '|---|---|---|---|---|');
let lastShown = -Infinity;
for (const sample of samples) {
  const t = (sample.at - start.at) / 1000;
  if (t - lastShown < 9.5 && sample !== samples.at(-1)) continue;
  lastShown = t;
  lines.push(`| ${t.toFixed(0)} | ${MB(sample.rss)} | ${MB(sample.heapUsed)} | ${sample.storeSize} | ${sample.handlerCalls} |`);
}
lines.push('', '## Invariants', '');
for (const [name, ok, detail] of checks) lines.push(`- ${ok ? 'PASS' : 'FAIL'} — ${name}: ${detail}`);
if (badSamples.length > 0) lines.push('', 'Unexpected answers (first 10):', '', ...badSamples.map((s) => `    ${s}`));
if (end.nonWebhookSamples.length > 0) lines.push('', 'Non-WebhookErrors (first 10):', '', ...end.nonWebhookSamples.map((s) => `    ${s.split('\n').join('\n    ')}`));
lines.push('');

const report = lines.join('\n');
console.log(report);
writeFileSync(args.out as string, report);
console.log(`written to ${args.out}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
