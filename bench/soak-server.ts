/**
 * The server side of `npm run soak`: Express + hookguard on 127.0.0.1:0, in its own process.
 * The handler counts its calls and marks each id in a preallocated bitset, so a delivery handled
 * twice is caught without the harness itself growing with the ids. Every error that is not a
 * WebhookError — thrown out of a handler wrapper, reported to onError as handler_failed, reaching
 * Express's error handler, or escaping as uncaughtException / unhandledRejection — is counted.
 * Talks to the orchestrator (bench/soak.ts) over IPC: `sample` and `check` requests.
 */
import express, { type ErrorRequestHandler } from 'express';
import { expressMiddleware } from '../src/adapters/express.js';
import { isWebhookError } from '../src/core/errors.js';
import { providers } from '../src/providers/index.js';
import { createReceiver } from '../src/receiver/create-receiver.js';
import { memoryStore } from '../src/stores/memory.js';

const SECRET = process.env.SOAK_SECRET as string;
const MAX_ENTRIES = Number(process.env.SOAK_MAX_ENTRIES ?? 20_000);
const MAX_BODY = Number(process.env.SOAK_MAX_BODY ?? 16_384);
const MAX_IDS = 1 << 25; // 32 M ids, 4 MiB of bits, allocated up front

const handledBits = new Uint8Array(MAX_IDS / 8);
let handlerCalls = 0;
let doublyHandled = 0;
let outOfRange = 0;
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
const receiver = createReceiver({ provider: providers.standardWebhooks({ secret: SECRET }), dedupe: store, maxBodyBytes: MAX_BODY });
receiver.on('invoice.paid', ({ id }) => {
  handlerCalls++;
  const n = Number((id ?? '').slice('soak_'.length));
  if (!Number.isInteger(n) || n < 0 || n >= MAX_IDS) {
    outOfRange++;
    return;
  }
  const byte = n >>> 3;
  const bit = 1 << (n & 7);
  if ((handledBits[byte] as number) & bit) doublyHandled++;
  handledBits[byte] = (handledBits[byte] as number) | bit;
});
receiver.onError((error) => {
  codes[error.code] = (codes[error.code] ?? 0) + 1;
  // Our handler never throws: a handler_failed means something else failed and was wrapped.
  if (!isWebhookError(error) || error.code === 'handler_failed' || error.code === 'misconfigured') unexpected(`onError ${error.code}`, error.cause ?? error);
});

const app = express();
app.post('/webhooks', expressMiddleware(receiver));
const onExpressError: ErrorRequestHandler = (error, _req, res, _next) => {
  unexpected('express error handler', error);
  res.status(500).end();
};
app.use(onExpressError);

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
    process.send?.({ type: 'sample', at: Date.now(), ...memory(), storeSize: store.size, handlerCalls });
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
    process.send?.({ type: 'check', handlerCalls, doublyHandled, outOfRange, marked, handledOf, codes, nonWebhookErrors, nonWebhookSamples, storeSize: store.size, ...memory() });
  } else if (message.type === 'stop') {
    void receiver.close({ timeoutMs: 5_000 }).then(() => server.close(() => process.exit(0)));
    server.closeIdleConnections();
  }
});
