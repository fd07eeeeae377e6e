/**
 * The server side of `npm run soak`: Express + hookguard on 127.0.0.1:0 in its own process, one
 * receiver per path: `/webhooks` (Standard Webhooks HMAC), `/github` (bombs and long replayed ids:
 * 25 MiB, unsigned ids), `/slack` (relabelled bodies), `/ed25519` (v1a, three public keys). Each
 * valid delivery's handler marks its number in a preallocated bitset (a second mark is a delivery
 * handled twice); a Slack handler run for a type or id the sender never sent counts as hijacked;
 * every error that is not a WebhookError is counted. Answers bench/soak.ts's `sample` and `check`.
 */
import express, { type ErrorRequestHandler } from 'express';
import { expressMiddleware } from '../src/adapters/express.js';
import { isWebhookError } from '../src/core/errors.js';
import { providers } from '../src/providers/index.js';
import { createReceiver } from '../src/receiver/create-receiver.js';
import { memoryStore } from '../src/stores/memory.js';

const SECRET = process.env.SOAK_SECRET as string;
const GITHUB_SECRET = process.env.SOAK_GITHUB_SECRET as string;
const SLACK_SECRET = process.env.SOAK_SLACK_SECRET as string;
const ED25519_KEYS = (process.env.SOAK_ED25519_KEYS as string).split(',');
const MAX_ENTRIES = Number(process.env.SOAK_MAX_ENTRIES ?? 20_000);
const MAX_BODY = Number(process.env.SOAK_MAX_BODY ?? 16_384);
const MAX_IDS = 1 << 25; // 32 M ids, 4 MiB of bits, allocated up front

const handledBits = new Uint8Array(MAX_IDS / 8);
let handlerCalls = 0;
let doublyHandled = 0;
let outOfRange = 0;
/** GitHub deliveries handled: replays under new (long) ids, which GitHub does not sign. */
let replaysHandled = 0;
/** Slack handlers run for a type or an id the sender did not send. */
let hijacked = 0;
const codes: Record<string, number> = {};
let nonWebhookErrors = 0;
const nonWebhookSamples: string[] = [];

function unexpected(where: string, error: unknown): void {
  nonWebhookErrors++;
  if (nonWebhookSamples.length < 10) nonWebhookSamples.push(`${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
process.on('uncaughtException', (error) => unexpected('uncaughtException', error));
process.on('unhandledRejection', (error) => unexpected('unhandledRejection', error));

const store = memoryStore({ maxEntries: MAX_ENTRIES });
const stores = { webhooks: store, github: memoryStore({ maxEntries: MAX_ENTRIES }), slack: memoryStore({ maxEntries: MAX_ENTRIES }), ed25519: memoryStore({ maxEntries: MAX_ENTRIES }) };
const receiver = createReceiver({ provider: providers.standardWebhooks({ secret: SECRET }), dedupe: store, maxBodyBytes: MAX_BODY });
const github = createReceiver({ provider: providers.github({ secret: GITHUB_SECRET }), dedupe: stores.github });
const slack = createReceiver({ provider: providers.slack({ signingSecret: SLACK_SECRET }), dedupe: stores.slack });
const ed25519 = createReceiver({ provider: providers.standardWebhooks({ publicKey: ED25519_KEYS }), dedupe: stores.ed25519 });

/** Marks valid delivery number `n` (the id after `prefix`) handled; counts a second time. */
function mark(id: string | undefined, prefix: string): void {
  handlerCalls++;
  const n = id?.startsWith(prefix) ? Number(id.slice(prefix.length)) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n >= MAX_IDS) {
    outOfRange++;
    return;
  }
  const byte = n >>> 3;
  const bit = 1 << (n & 7);
  if ((handledBits[byte] as number) & bit) doublyHandled++;
  handledBits[byte] = (handledBits[byte] as number) | bit;
}

receiver.on('invoice.paid', ({ id }) => mark(id, 'soak_'));
ed25519.on('invoice.paid', ({ id }) => mark(id, 'soak_'));
github.onAny(() => {
  replaysHandled++;
});
slack.onAny(({ type, id }) => {
  if (type !== 'message' || id === undefined || !/^EvS\d+$/.test(id)) hijacked++;
  else mark(id, 'EvS');
});
for (const each of [receiver, github, slack, ed25519]) {
  each.onError((error) => {
    codes[error.code] = (codes[error.code] ?? 0) + 1;
    // Our handlers never throw: a handler_failed means something else failed and was wrapped.
    if (!isWebhookError(error) || error.code === 'handler_failed' || error.code === 'misconfigured') unexpected(`onError ${error.code}`, error.cause ?? error);
  });
}

const app = express();
app.post('/webhooks', expressMiddleware(receiver));
app.post('/github', expressMiddleware(github));
app.post('/slack', expressMiddleware(slack));
app.post('/ed25519', expressMiddleware(ed25519));
const onExpressError: ErrorRequestHandler = (error, _req, res, _next) => {
  unexpected('express error handler', error);
  res.status(500).end();
};
app.use(onExpressError);

/** The process's peak RSS so far (the kernel's high-water mark), in bytes: catches spikes between samples. */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function memory() {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, arrayBuffers: usage.arrayBuffers };
}

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
server.keepAliveTimeout = 65_000;

process.on('message', (message: { type: string; ids?: number[] }) => {
  if (message.type === 'sample') {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    process.send?.({ type: 'sample', at: Date.now(), ...memory(), storeSize: store.size, handlerCalls, peakRss: peakRss() });
  } else if (message.type === 'check') {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const handledOf = (message.ids ?? []).filter((n) => n >= 0 && n < MAX_IDS && ((handledBits[n >>> 3] as number) & (1 << (n & 7))) !== 0).length;
    let marked = 0;
    for (const byte of handledBits) {
      let b = byte;
      while (b) {
        marked += b & 1;
        b >>>= 1;
      }
    }
    const storeSizes = Object.fromEntries(Object.entries(stores).map(([name, each]) => [name, each.size]));
    process.send?.({ type: 'check', handlerCalls, doublyHandled, outOfRange, marked, handledOf, codes, nonWebhookErrors, nonWebhookSamples, storeSize: store.size, storeSizes, replaysHandled, hijacked, peakRss: peakRss(), ...memory() });
  } else if (message.type === 'stop') {
    void Promise.all([receiver, github, slack, ed25519].map((each) => each.close({ timeoutMs: 5_000 }))).then(() => server.close(() => process.exit(0)));
    server.closeIdleConnections();
  }
});
