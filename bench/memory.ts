/**
 * Memory: RSS while 200,000 distinct deliveries go through `receiver.receive` (no HTTP) with
 * the default memory store (`memoryStore()` with its defaults: 100,000 ids, 3 days), and the
 * store's bytes per remembered id. Needs --expose-gc; prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/memory.ts [deliveries]
 */
import { Buffer } from 'node:buffer';
import { createHmac, randomUUID } from 'node:crypto';
import { hookguard } from './lib/hookguard.js';
import { secrets } from './lib/deliveries.js';

const { createReceiver, memoryStore, providers } = hookguard;

export interface MemoryReport {
  deliveries: number;
  maxEntries: number;
  /** [deliveries so far, RSS MiB, heapUsed MiB after a full GC] every 25,000. */
  samples: [number, number, number][];
  /** Heap growth per remembered id, measured on the receiver's own store. */
  receiverBytesPerId: number;
  /** The same measured on a bare store filled with 100,000 ids of the same shape. */
  storeBytesPerId: number;
  /** Heap held by 100,000 remembered ids, MiB. */
  store100kMiB: number;
  failures: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const mib = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const total = Number(process.argv[2] ?? 200_000);
const store = memoryStore(); // what createReceiver uses when `dedupe` is not given
const receiver = createReceiver({ provider: providers.standardWebhooks({ secret: secrets.standardWebhooks }), dedupe: store });
receiver.on('invoice.paid', () => undefined);

/** An id as a header value arrives from Node's HTTP parser: one flat string (not a concatenation). */
function newId(): string {
  return Buffer.from(`msg_${randomUUID().replaceAll('-', '')}`, 'latin1').toString('latin1');
}

function delivery(): { headers: Record<string, string>; body: Buffer } {
  const id = newId();
  const ts = String(Math.floor(Date.now() / 1000));
  const body = Buffer.from(JSON.stringify({ type: 'invoice.paid', data: { id: `in_${id.slice(4, 16)}`, amount: 1999 } }));
  const signature = createHmac('sha256', secrets.standardWebhooksKey).update(`${id}.${ts}.`).update(body).digest('base64');
  return { headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` }, body };
}

// First a bare store, filled with 100,000 ids of the same shape (each id string is held by the
// store alone, so it is counted): what one remembered id costs.
const alive: unknown[] = []; // keeps what is measured reachable until the end
const bare = memoryStore();
alive.push(bare);
const withoutStore = heapAfterGc();
for (let i = 0; i < 100_000; i++) {
  const id = newId();
  bare.claim(id);
  bare.complete(id);
}
const storeBytesPerId = (heapAfterGc() - withoutStore) / 100_000;
if (bare.size !== 100_000) throw new Error('the bare store lost ids');

alive.push(receiver);
let failures = 0;
const samples: [number, number, number][] = [];
const heapBefore = heapAfterGc();
let heapAtFull = 0;
for (let i = 1; i <= total; i++) {
  const { headers, body } = delivery();
  const result = await receiver.receive({ method: 'POST', url: '/webhook', headers, body });
  if (result.status !== 200) failures++;
  if (i % 25_000 === 0) {
    const heap = heapAfterGc();
    if (store.size === 100_000 && heapAtFull === 0) heapAtFull = heap;
    samples.push([i, mib(process.memoryUsage().rss), mib(heap)]);
  }
}
const receiverBytesPerId = (heapAtFull - heapBefore) / 100_000;

const report: MemoryReport = {
  deliveries: total,
  maxEntries: 100_000,
  samples,
  receiverBytesPerId: Math.round(receiverBytesPerId),
  storeBytesPerId: Math.round(storeBytesPerId),
  store100kMiB: mib(storeBytesPerId * 100_000),
  failures,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
if (alive.length !== 2) throw new Error('unreachable');
