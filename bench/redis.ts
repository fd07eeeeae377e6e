/**
 * Redis dedupe store benchmark: deliveries/s through `receiver.receive()` and the latency each
 * delivery gains, with `redisStore` (a local redis-server, started here on a free loopback port)
 * against `memoryStore` and no dedupe, measured in one run on the same pre-signed deliveries.
 *
 *   npm run bench:redis [-- --count 20000] [-- --concurrency 64]
 *
 * Sequential: one delivery at a time (each pays a claim round trip and a complete round trip),
 * median and p99 of per-delivery latency. Concurrent: `concurrency` deliveries in flight, as a
 * busy server has them (ioredis pipelines the commands on its one connection).
 */
import { Redis } from 'ioredis';
import { createReceiver, memoryStore, providers, type DedupeStore } from '../src/index.js';
import { redisStore } from '../src/stores/redis.js';
import { signRequest } from '../src/testing/index.js';
import { startRedis } from '../test/helpers/redis-server.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

const count = option('count', 10_000);
const concurrency = option('concurrency', 64);
const provider = providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('bench-redis-store-secret-32bytes').toString('base64') });
const payload = { type: 'invoice.paid', data: { id: 'in_1', amount: 500, currency: 'usd' } };

/** Distinct ids, so every delivery is a first claim (the expensive path); a fresh batch per pass. */
function deliveries(pass: string) {
  return Array.from({ length: count }, (_, i) => ({ method: 'POST', ...signRequest(provider, payload, { id: `msg_${pass}_${i}` }) }));
}

interface Row {
  store: string;
  sequentialPerSec: number;
  p50us: number;
  p99us: number;
  concurrentPerSec: number;
}

async function measure(store: string, dedupe: DedupeStore | false): Promise<Row> {
  const receiver = createReceiver({ provider, dedupe });
  receiver.on('invoice.paid', () => {});
  const check = (status: number) => {
    if (status !== 200) throw new Error(`${store}: a delivery answered ${status}`);
  };
  // Warm-up: JIT, the Lua scripts loaded, the connection hot.
  for (const input of deliveries(`${store}-warm`).slice(0, 2000)) check((await receiver.receive(input)).status);

  const sequential = deliveries(`${store}-seq`);
  const latencies = new Float64Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    check((await receiver.receive(sequential[i] as (typeof sequential)[0])).status);
    latencies[i] = performance.now() - t;
  }
  const sequentialMs = performance.now() - started;
  latencies.sort();

  const concurrent = deliveries(`${store}-con`);
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) check((await receiver.receive(concurrent[next++] as (typeof concurrent)[0])).status);
    }),
  );
  const concurrentMs = performance.now() - t;
  return {
    store,
    sequentialPerSec: (count / sequentialMs) * 1000,
    p50us: (latencies[Math.floor(count * 0.5)] as number) * 1000,
    p99us: (latencies[Math.floor(count * 0.99)] as number) * 1000,
    concurrentPerSec: (count / concurrentMs) * 1000,
  };
}

const server = await startRedis();
const client = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false, lazyConnect: true });
await client.connect();
try {
  const rows = [
    await measure('none (dedupe: false)', false),
    await measure('memoryStore', memoryStore()),
    await measure('redisStore (local)', redisStore({ client })),
  ];
  const memory = rows[1] as Row;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`\nredisStore vs memoryStore — ${fmt(count)} deliveries per pass, Standard Webhooks, ${JSON.stringify(payload).length}-byte body, redis-server ${(await client.info('server')).match(/redis_version:(\S+)/)?.[1]} on 127.0.0.1, Node ${process.version}\n`);
  const header = ['store', 'sequential /s', 'p50 µs', 'p99 µs', 'added p50 µs', `concurrent (${concurrency}) /s`];
  const lines = rows.map((r) => [r.store, fmt(r.sequentialPerSec), fmt(r.p50us), fmt(r.p99us), r === memory ? '—' : fmt(r.p50us - memory.p50us), fmt(r.concurrentPerSec)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...lines]) {
    console.log(line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  '));
  }
  console.log('\n"added p50" is per delivery against memoryStore: the claim (EVALSHA) and complete (SET PX) round trips.');
} finally {
  client.disconnect();
  await server.stop();
}
