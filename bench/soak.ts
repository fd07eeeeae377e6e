/**
 * `npm run soak` (#6, #13): mixed traffic at the highest rate the machine sustains, on loopback,
 * against Express + hookguard in its own process (bench/soak-server.ts): valid deliveries with
 * unique ids, duplicates, forgeries, stale timestamps, oversized bodies, and a `--hostile` share
 * (default 0.1): gzip and brotli bombs with forged signatures, GitHub replays under 15 KB ids,
 * signed Slack JSON relabelled as a form, forged Ed25519 (10 candidates × 3 keys), mixed with the
 * legitimate Slack and Ed25519 deliveries they target. A valid delivery answered 503 `overloaded`
 * is sent again, as a sender would. Writes bench/SOAK.md; exits 1 when an invariant fails.
 *
 *   npm run soak                                   # 120 s, 32 connections, 10% hostile
 *   npx tsx bench/soak.ts --duration 30 --connections 16 --hostile 0.2 --rss-budget-mb 300 --out /tmp/SOAK.md
 */
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { providers } from '../src/providers/index.js';
import { generateEd25519KeyPair } from '../src/testing/index.js';
import { option } from './lib/harness.js';

const DURATION = Number(option('duration', option('seconds', '120'))); // --seconds is an alias
const CONNECTIONS = Number(option('connections', '32'));
const MAX_REQUESTS = Number(option('max-requests', '20000000'));
const MAX_ENTRIES = Number(option('max-entries', '20000'));
const HOSTILE_SHARE = Number(option('hostile', '0.1'));
const RSS_BUDGET = Number(option('rss-budget-mb', '300')) * 1024 * 1024;
const OUT = option('out', fileURLToPath(new URL('./SOAK.md', import.meta.url)));
if (!(HOSTILE_SHARE >= 0 && HOSTILE_SHARE < 1)) throw new Error('--hostile is a share of the requests, from 0 to below 1');
const MAX_BODY = 16_384;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const provider = providers.standardWebhooks({ secret: SECRET });
const stranger = providers.standardWebhooks({ secret: `whsec_${randomBytes(32).toString('base64')}` });
const GITHUB_SECRET = randomBytes(24).toString('hex');
const SLACK_SECRET = randomBytes(16).toString('hex');
const githubSender = providers.github({ secret: GITHUB_SECRET });
const slackSender = providers.slack({ signingSecret: SLACK_SECRET });
const edPairs = [1, 2, 3].map((seed) => generateEd25519KeyPair(new Uint8Array(32).fill(seed)));
const edSender = providers.standardWebhooks(edPairs[0] as { publicKey: string; privateKey: string });

type Kind = 'valid' | 'duplicate' | 'forged' | 'stale' | 'oversized' | HostileKind;
/** The hostile slot's rotation: hostile requests, and the legitimate deliveries they aim at. */
type HostileKind = 'valid-slack' | 'relabelled' | 'gzip-bomb' | 'brotli-bomb' | 'long-id' | 'valid-ed25519' | 'forged-ed25519';
const ROTATION: HostileKind[] = ['valid-slack', 'gzip-bomb', 'relabelled', 'long-id', 'valid-ed25519', 'forged-ed25519', 'brotli-bomb', 'long-id'];
/** Kinds whose deliveries must each be handled exactly once. */
const VALID_KINDS = new Set<Kind>(['valid', 'valid-slack', 'valid-ed25519']);
/** Every 20 requests: 12 valid, 2 duplicates, 2 forged, 2 stale, 2 oversized. */
const SCHEDULE: Kind[] = ['valid', 'forged', 'valid', 'duplicate', 'valid', 'stale', 'valid', 'oversized', 'valid', 'valid', 'forged', 'valid', 'duplicate', 'valid', 'stale', 'valid', 'oversized', 'valid', 'valid', 'valid'];
/** A refusal: any 4xx, or 503 `overloaded`, with a JSON error code — never a 2xx (handled) nor a 500. */
const REFUSED = { status: /^(4\d\d|503)$/, body: /^\{"error":\{"code":"[a-z_]+"/ };
const EXPECTED: Record<Kind, { status: RegExp; body: RegExp; text: string }> = {
  valid: { status: /^200$/, body: /^\{"ok":true\}$/, text: '200 {"ok":true}' },
  duplicate: { status: /^200$/, body: /"duplicate":true/, text: '200 duplicate' },
  forged: { status: /^401$/, body: /"signature_mismatch"/, text: '401 signature_mismatch' },
  stale: { status: /^401$/, body: /"timestamp_too_old"/, text: '401 timestamp_too_old' },
  oversized: { status: /^413$/, body: /"body_too_large"/, text: '413 body_too_large' },
  'valid-slack': { status: /^200$/, body: /^\{"ok":true\}$/, text: '200 {"ok":true}' },
  'valid-ed25519': { status: /^200$/, body: /^\{"ok":true\}$/, text: '200 {"ok":true}' },
  // Sent again with a new label: the same delivery (a duplicate) or refused; never handled anew.
  relabelled: { status: /^(200|4\d\d)$/, body: /"duplicate":true|^\{"error"/, text: '200 duplicate, or 4xx' },
  'gzip-bomb': { ...REFUSED, text: '4xx, or 503 overloaded' },
  'brotli-bomb': { ...REFUSED, text: '4xx, or 503 overloaded' },
  // A genuine body replayed under a new unsigned id: handled (a new id), or refused for its length; never a 5xx.
  'long-id': { status: /^(200|4\d\d)$/, body: /^\{"ok":true|^\{"error"/, text: '200, or 4xx (id too long)' },
  'forged-ed25519': { status: /^(400|401)$/, body: /"signature_mismatch"|"malformed_header"/, text: '401 signature_mismatch (400 malformed_header past a cap)' },
};
const BOMB_BYTES = 26 * 1024 * 1024; // inflates past GitHub's 25 MiB limit
const gzipBomb = gzipSync(Buffer.alloc(BOMB_BYTES), { level: 9 });
const brotliBomb = brotliCompressSync(Buffer.alloc(BOMB_BYTES), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } });
/** A genuine GitHub delivery, replayed under new ids (GitHub signs only the body). */
const capturedGithub = githubSender.sign({ body: JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }), id: randomUUID(), type: 'ping' });
const ED_FORGED_BODY = JSON.stringify({ type: 'invoice.paid', data: { id: 'in_forged', note: 'x'.repeat(64 * 1024) } });

interface Prepared {
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

const filler = 'x'.repeat(MAX_BODY * 2);
let nextId = 0;
let turn = 0;
let validSent = 0;
/** Recently answered valid deliveries, resent as duplicates while their ids are surely still in the store. */
const recent: Prepared[] = [];
/** Slack deliveries answered 200, resent relabelled as a form while still inside Slack's 5-minute window. */
const recentSlack: Prepared[] = [];
let duplicatesSent = 0;
/** Valid deliveries answered 503 `overloaded`, sent again (as the sender would) before anything new. */
const retries: Context[] = [];
let deferred = 0;
let hostileTurn = 0;
let hostileCredit = 0;
const zeroes = () => Object.fromEntries(Object.keys(EXPECTED).map((kind) => [kind, 0])) as Record<Kind, number>;
const sentByKind = zeroes();
const goodByKind = zeroes();
const badByKind = zeroes();
const badSamples: string[] = [];
const byStatus: Record<string, number> = {};
/** Valid ids sent whose answer has not come (yet): checked against the server's bitset at the end. */
const pendingValid = new Set<number>();
let validAnswered200 = 0;

function signed(body: string, id: string, timestamp: number, signer = provider, path = '/webhooks'): Prepared {
  const { headers } = signer.sign({ body, id, timestamp });
  return { path, headers: { ...headers, 'content-type': 'application/json' }, body };
}

/** The next request of the hostile slot (hostile, or a legitimate delivery a later hostile one aims at). */
function hostile(context: Context, now: number): [Kind, Prepared] {
  let kind = ROTATION[hostileTurn++ % ROTATION.length] as HostileKind;
  if (kind === 'relabelled' && recentSlack.length === 0) kind = 'valid-slack';
  if (kind === 'valid-slack') {
    const n = startValid(context);
    // Text that, read as a form, would be fields of its own: a new type and a new id (#13 item 5).
    const body = JSON.stringify({ type: 'event_callback', event_id: `EvS${n}`, event: { type: 'message', text: `a&type=block_actions&event_id=EvNEW${n}&b=` } });
    const { headers } = slackSender.sign({ body, timestamp: now });
    return [kind, { path: '/slack', headers: { ...headers, 'content-type': 'application/json' }, body }];
  }
  if (kind === 'relabelled') {
    const original = recentSlack[Math.floor(Math.random() * recentSlack.length)] as Prepared;
    return [kind, { ...original, headers: { ...original.headers, 'content-type': 'application/x-www-form-urlencoded' } }];
  }
  if (kind === 'valid-ed25519') {
    const n = startValid(context);
    return [kind, signed(JSON.stringify({ type: 'invoice.paid', data: { id: `in_${n}`, amount: n % 10_000 } }), `soak_${n}`, now, edSender, '/ed25519')];
  }
  if (kind === 'forged-ed25519') {
    const candidates = Array.from({ length: 10 }, () => `v1a,${randomBytes(64).toString('base64')}`).join(' ');
    return [kind, { path: '/ed25519', headers: { 'webhook-id': `forged_${hostileTurn}`, 'webhook-timestamp': String(now), 'webhook-signature': candidates, 'content-type': 'application/json' }, body: ED_FORGED_BODY }];
  }
  if (kind === 'long-id') {
    return [kind, { path: '/github', headers: { ...capturedGithub.headers, 'x-github-delivery': randomBytes(7_680).toString('hex'), 'content-type': 'application/json' }, body: capturedGithub.body as string }];
  }
  const encoding = kind === 'gzip-bomb' ? 'gzip' : 'br';
  const headers = { 'x-hub-signature-256': `sha256=${randomBytes(32).toString('hex')}`, 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'content-type': 'application/json', 'content-encoding': encoding };
  return [kind, { path: '/github', headers, body: kind === 'gzip-bomb' ? gzipBomb : brotliBomb }];
}

/** A new unique valid delivery number, tracked until its answer. */
function startValid(context: Context): number {
  const n = nextId++;
  context.n = n;
  pendingValid.add(n);
  validSent++;
  return n;
}

interface Context {
  kind?: Kind;
  n?: number;
  prepared?: Prepared;
}

function setupRequest(request: { method: string; path: string; headers: Record<string, string>; body: string | Buffer }, context: Context) {
  const retry = retries.shift();
  if (retry !== undefined) {
    Object.assign(context, retry);
    return toRequest(request, retry.prepared as Prepared);
  }
  let kind = SCHEDULE[turn++ % SCHEDULE.length] as Kind;
  if (kind === 'duplicate' && recent.length === 0) kind = 'valid';
  const now = Math.floor(Date.now() / 1000);
  let prepared: Prepared;
  context.n = undefined;
  hostileCredit += HOSTILE_SHARE;
  if (hostileCredit >= 1) {
    hostileCredit -= 1;
    [kind, prepared] = hostile(context, now);
  } else if (kind === 'valid') {
    const n = startValid(context);
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
  return toRequest(request, prepared);
}

function toRequest(request: { method: string; path: string; headers: Record<string, string>; body: string | Buffer }, prepared: Prepared) {
  request.method = 'POST';
  request.path = prepared.path;
  request.headers = prepared.headers;
  request.body = prepared.body;
  return request;
}

function onResponse(status: number, body: string, context: Context): void {
  byStatus[status] = (byStatus[status] ?? 0) + 1;
  const kind = context.kind;
  if (kind === undefined) return;
  const text = String(body);
  if (VALID_KINDS.has(kind) && status === 503 && text.includes('"overloaded"')) {
    deferred++;
    retries.push({ ...context });
    return;
  }
  const expected = EXPECTED[kind];
  const good = expected.status.test(String(status)) && expected.body.test(text);
  if (good) goodByKind[kind]++;
  else {
    badByKind[kind]++;
    if (badSamples.length < 10) badSamples.push(`${kind}: ${status} ${text.slice(0, 160)}`);
  }
  if (VALID_KINDS.has(kind) && context.n !== undefined) {
    pendingValid.delete(context.n);
    if (good) {
      validAnswered200++;
      const ring = kind === 'valid-slack' ? recentSlack : kind === 'valid' ? recent : undefined;
      ring?.push(context.prepared as Prepared);
      if (ring !== undefined && ring.length > 500) ring.shift();
    }
  }
}

// --- the server process -------------------------------------------------------------------

interface Sample {
  at: number;
  rss: number;
  /** The kernel's high-water mark of RSS so far. */
  peakRss: number;
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
  storeSizes: Record<string, number>;
  replaysHandled: number;
  hijacked: number;
}

const child = fork(fileURLToPath(new URL('./soak-server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx', '--expose-gc'],
  env: { ...process.env, SOAK_SECRET: SECRET, SOAK_GITHUB_SECRET: GITHUB_SECRET, SOAK_SLACK_SECRET: SLACK_SECRET, SOAK_ED25519_KEYS: edPairs.map((pair) => pair.publicKey).join(','), SOAK_MAX_ENTRIES: String(MAX_ENTRIES), SOAK_MAX_BODY: String(MAX_BODY) },
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

console.log(`soak: ${DURATION} s, ${CONNECTIONS} connections, ${(HOSTILE_SHARE * 100).toFixed(0)}% hostile slot, at most ${MAX_REQUESTS} requests, memoryStore maxEntries ${MAX_ENTRIES}, server on 127.0.0.1:${port}`);
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
const HOSTILE_KINDS: Kind[] = ['gzip-bomb', 'brotli-bomb', 'long-id', 'relabelled', 'forged-ed25519'];
const checks: [string, boolean, string][] = [
  ['handler calls = unique valid ids handled', end.handlerCalls === uniqueValidHandled, `${end.handlerCalls} calls, ${validAnswered200} valid ids answered 200 + ${end.handledOf} of ${pendingValid.size} cut off at the end that the server had handled`],
  ['no id handled twice', end.doublyHandled === 0 && end.marked === end.handlerCalls, `${end.doublyHandled} handled twice; ${end.marked} ids marked for ${end.handlerCalls} calls`],
  ['every valid delivery answered 200 (after any 503 overloaded retries)', badByKind.valid + badByKind['valid-slack'] + badByKind['valid-ed25519'] === 0, `${badByKind.valid} / ${badByKind['valid-slack']} / ${badByKind['valid-ed25519']} (HMAC / Slack / Ed25519) answered otherwise; ${deferred} answers were 503 overloaded and sent again`],
  ['every duplicate answered 200 duplicate, none handled', badByKind.duplicate === 0, `${goodByKind.duplicate} of ${duplicatesSent}`],
  ['every forgery, stale and oversized delivery refused with its code', badByKind.forged + badByKind.stale + badByKind.oversized === 0, `${badByKind.forged} / ${badByKind.stale} / ${badByKind.oversized} otherwise`],
  ['every hostile request answered as expected (bombs, long ids, relabelled, forged Ed25519)', HOSTILE_KINDS.every((kind) => badByKind[kind] === 0), HOSTILE_KINDS.map((kind) => `${kind} ${badByKind[kind]}`).join(', ') + ' otherwise'],
  ['no handler ran for a relabelled body (new type or id)', end.hijacked === 0 && end.outOfRange === 0, `${end.hijacked} Slack handler calls for a type or id the sender never sent; ${end.outOfRange} calls with an unknown id`],
  ['errors that were not WebhookErrors = 0', end.nonWebhookErrors === 0, `${end.nonWebhookErrors}`],
  ['connection errors and timeouts at the client = 0', result.errors === 0 && result.timeouts === 0, `${result.errors} errors, ${result.timeouts} timeouts`],
  ['every memory store bounded', Object.values(end.storeSizes).every((size) => size <= MAX_ENTRIES), `${Object.entries(end.storeSizes).map(([name, size]) => `${name} ${size}`).join(', ')} entries (maxEntries ${MAX_ENTRIES} each)`],
  [`server RSS within ${MB(RSS_BUDGET)} MB of its start (kernel high-water mark)`, end.peakRss - start.rss <= RSS_BUDGET, `start ${MB(start.rss)} MB, high-water ${MB(end.peakRss)} MB: +${MB(end.peakRss - start.rss)} MB`],
];
const rssGrowthAfterFill = tail.length > 1 ? (tail.at(-1) as Sample).rss - (tail[0] as Sample).rss : 0;
const heapGrowthAfterFill = tail.length > 1 ? (tail.at(-1) as Sample).heapUsed - (tail[0] as Sample).heapUsed : 0;

const lines: string[] = [];
lines.push('# Soak report (`npm run soak`)', '');
lines.push(`Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.release()}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work shared the machine).`);
lines.push(`Server: Express 5 + hookguard in its own process on 127.0.0.1 — /webhooks standardWebhooks (maxBodyBytes ${MAX_BODY}), /github (25 MiB), /slack, /ed25519 (v1a, 3 public keys) — each with a memoryStore of maxEntries ${MAX_ENTRIES}; load: autocannon from this process, ${CONNECTIONS} connections, ${DURATION} s, ${(HOSTILE_SHARE * 100).toFixed(0)}% of requests from the hostile slot (rotation: ${ROTATION.join(', ')}).`, '');
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
  lines.push(`| ${kind} | ${sentByKind[kind]} | ${goodByKind[kind]} | ${badByKind[kind]} | ${EXPECTED[kind].text} |`);
}
lines.push('', '## Deliveries', '');
lines.push(`| | |`, `|---|---|`);
lines.push(`| unique valid ids sent | ${validSent} |`);
lines.push(`| … answered 200 | ${validAnswered200} |`);
lines.push(`| … cut off by the end of the run (no answer) | ${pendingValid.size}, of which the server handled ${end.handledOf} |`);
lines.push(`| handler calls | ${end.handlerCalls} |`);
lines.push(`| ids handled twice | ${end.doublyHandled} |`);
lines.push(`| valid deliveries answered 503 overloaded and sent again | ${deferred} |`);
lines.push(`| GitHub replays under new long ids that were handled | ${end.replaysHandled} |`);
lines.push(`| Slack handlers run for a relabelled body | ${end.hijacked} |`);
lines.push(`| refusals reported to onError, by code | ${Object.entries(end.codes).map(([code, count]) => `${code} ${count}`).join(', ')} |`);
lines.push(`| errors that were not WebhookErrors | ${end.nonWebhookErrors} |`, '');
lines.push('## Server memory', '');
lines.push(`RSS at start ${MB(start.rss)} MB, peak sampled ${MB(peak.rss)} MB, kernel high-water ${MB(end.peakRss)} MB, end ${MB(end.rss)} MB. Heap used (after a forced GC) at start ${MB(start.heapUsed)} MB, end ${MB(end.heapUsed)} MB.`);
if (filledAt) {
  lines.push(`The store reached maxEntries ${((filledAt.at - start.at) / 1000).toFixed(0)} s in; after that ${Math.max(0, uniqueValidHandled - MAX_ENTRIES)} more unique ids went through it. Over the second half of the filled period RSS moved ${rssGrowthAfterFill >= 0 ? '+' : ''}${MB(rssGrowthAfterFill)} MB and the heap ${heapGrowthAfterFill >= 0 ? '+' : ''}${MB(heapGrowthAfterFill)} MB.`);
}
lines.push('', '## Invariants', '');
for (const [name, ok, detail] of checks) lines.push(`- ${ok ? 'PASS' : 'FAIL'} — ${name}: ${detail}`);
if (badSamples.length > 0) lines.push('', 'Unexpected answers (first 10):', '', ...badSamples.map((s) => `    ${s}`));
if (end.nonWebhookSamples.length > 0) lines.push('', 'Non-WebhookErrors (first 10):', '', ...end.nonWebhookSamples.map((s) => `    ${s.split('\n').join('\n    ')}`));
lines.push('');

const report = lines.join('\n');
console.log(report);
writeFileSync(OUT, report);
console.log(`written to ${OUT}`);
process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
