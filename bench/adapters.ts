/**
 * End-to-end adapter benchmark: requests/s of a signed delivery through each adapter with full
 * verification (signature + timestamp, JSON parse, zod schema, handler), as a ratio of the same
 * framework's bare raw-body route (read the bytes, answer {"ok":true}) — in one run.
 *
 *   npm run bench:adapters                  # 5 s per route, 10 connections
 *   npx tsx bench/adapters.ts --duration 2 --connections 20 --only fastify,hono
 *
 * HTTP adapters (Express 5 and 4, node:http, Fastify, Hono on @hono/node-server) serve from this
 * process on 127.0.0.1:0 while autocannon loads them from a separate process, so the load
 * generator never competes with the server's event loop. The fetch and Lambda handlers have no
 * server of their own: they are measured in-process, calls/s against their bare equivalents.
 * Dedupe is off (`dedupe: false`): autocannon repeats one request, and every request must run the
 * whole pipeline rather than answer `duplicate`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { z } from 'zod';
import { expressMiddleware } from '../src/adapters/express.js';
import { fastifyPlugin } from '../src/adapters/fastify.js';
import { fetchHandler } from '../src/adapters/fetch.js';
import { lambdaHandler, type LambdaHttpEvent } from '../src/adapters/lambda.js';
import { nodeHandler } from '../src/adapters/node.js';
import { providers } from '../src/providers/index.js';
import { createReceiver } from '../src/receiver/create-receiver.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const ONLY = args.only?.split(',').map((name) => name.trim().toLowerCase());

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLWJlbmNoLWFkYXB0ZXJzLXNlY3JldC0zMmIh' });
const body = JSON.stringify({
  type: 'invoice.paid',
  data: { id: 'in_1NtP2x', amount: 4200, currency: 'eur', customer: 'cus_9s6XKzkNRiz8i3', lines: Array.from({ length: 8 }, (_, i) => ({ id: `il_${i}`, amount: 525 })) },
});

function receiver() {
  const r = createReceiver({
    provider,
    dedupe: false,
    events: { 'invoice.paid': z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string(), amount: z.number().int() }) }) },
  });
  r.on('invoice.paid', () => undefined);
  return r;
}

/** Signed right before each measurement: the 5-minute window must hold while it runs. */
function signedHeaders(): Record<string, string> {
  return provider.sign({ body }).headers;
}

const OK = '{"ok":true}';

interface HttpTarget {
  name: string;
  /** Serves `/webhooks` (hookguard) and `/raw` (bare raw-body route) on 127.0.0.1:0. */
  start(): Promise<{ server: Server; close(): Promise<void> }>;
}

async function listening(server: Server): Promise<{ server: Server; close(): Promise<void> }> {
  if (!server.listening) await once(server, 'listening');
  return {
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function expressTarget(name: string, expressModule: typeof express): HttpTarget {
  return {
    name,
    start: () => {
      const app = expressModule();
      app.post('/webhooks', expressMiddleware(receiver()));
      app.post('/raw', expressModule.raw({ type: '*/*', limit: '1mb' }), (_req, res) => {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(OK);
      });
      return listening(app.listen(0, '127.0.0.1'));
    },
  };
}

const HTTP_TARGETS: HttpTarget[] = [
  expressTarget('Express 5', express),
  expressTarget('Express 4', express4),
  {
    name: 'node:http',
    start: () => {
      const webhooks = nodeHandler(receiver(), { path: '/webhooks' });
      const server = createServer((req, res) => {
        if (req.url !== '/raw') return webhooks(req, res);
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          Buffer.concat(chunks);
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.end(OK);
        });
      });
      return listening(server.listen(0, '127.0.0.1'));
    },
  },
  {
    name: 'Fastify',
    start: async () => {
      const app = Fastify();
      await app.register(fastifyPlugin, { receiver: receiver(), path: '/webhooks' });
      await app.register(async (raw) => {
        raw.removeAllContentTypeParsers();
        raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, bytes, done) => done(null, bytes));
        raw.post('/raw', async (_request, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(OK));
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { server: app.server, close: () => app.close() };
    },
  },
  {
    name: 'Hono (node-server)',
    start: () => {
      const app = new Hono();
      const handle = fetchHandler(receiver());
      app.post('/webhooks', (c) => handle(c.req.raw));
      app.post('/raw', async (c) => {
        await c.req.arrayBuffer();
        return c.body(OK, 200, { 'content-type': 'application/json; charset=utf-8' });
      });
      return listening(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
    },
  },
];

interface Load {
  rps: number;
  non2xx: number;
  errors: number;
}

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** Runs autocannon in its own process against `url` and returns its average requests/s. */
async function load(url: string, seconds: number): Promise<Load> {
  const headers = { ...signedHeaders(), 'content-type': 'application/json' };
  const argv = [autocannonCli, '--json', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST', '-b', body];
  for (const [name, value] of Object.entries(headers)) argv.push('-H', `${name}=${value}`);
  argv.push(url);
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
  return { rps: result.requests.average, non2xx: result.non2xx, errors: result.errors };
}

interface Row {
  adapter: string;
  bare: number;
  hookguard: number;
  note: string;
}

async function benchHttp(target: HttpTarget): Promise<Row> {
  const { server, close } = await target.start();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const results: Record<'raw' | 'webhooks', Load> = {} as never;
    for (const path of ['raw', 'webhooks'] as const) {
      await load(`${base}/${path}`, 1); // warm-up: JIT, connection setup
      results[path] = await load(`${base}/${path}`, DURATION);
      if (results[path].non2xx > 0 || results[path].errors > 0) {
        throw new Error(`${target.name} /${path}: ${results[path].non2xx} non-2xx answers, ${results[path].errors} errors`);
      }
    }
    return { adapter: target.name, bare: results.raw.rps, hookguard: results.webhooks.rps, note: `HTTP, autocannon -c ${CONNECTIONS}` };
  } finally {
    await close();
  }
}

/** Calls/s of an async function, in-process, for `seconds` after a one-second warm-up. */
async function callsPerSecond(call: () => Promise<unknown>, seconds: number): Promise<number> {
  const until = (ms: number) => performance.now() + ms;
  for (const end = until(1000); performance.now() < end; ) await call();
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) await call();
    calls += 100;
  }
  return calls / ((performance.now() - start) / 1000);
}

async function benchFetch(): Promise<Row> {
  const handle = fetchHandler(receiver());
  const headers = { ...signedHeaders(), 'content-type': 'application/json' };
  const request = () => new Request('https://example.com/api/webhooks', { method: 'POST', headers, body });
  const first = await handle(request());
  if (first.status !== 200) throw new Error(`fetch handler answered ${first.status}: ${await first.text()}`);
  const bare = await callsPerSecond(async () => {
    const req = request();
    await req.arrayBuffer();
    return new Response(OK, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  }, DURATION);
  const verified = await callsPerSecond(() => handle(request()), DURATION);
  return { adapter: 'fetch (Request)', bare, hookguard: verified, note: 'in-process: Request → Response' };
}

async function benchLambda(): Promise<Row> {
  const handler = lambdaHandler(receiver());
  const event = (): LambdaHttpEvent => ({
    version: '2.0',
    rawPath: '/webhooks',
    rawQueryString: '',
    headers: { ...signedHeaders(), 'content-type': 'application/json', host: 'abc.lambda-url.eu-west-1.on.aws' },
    requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'POST', path: '/webhooks' } },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  });
  const sample = event();
  const first = await handler(sample);
  if (first.statusCode !== 200) throw new Error(`lambda handler answered ${first.statusCode}: ${first.body}`);
  const bare = await callsPerSecond(async () => {
    Buffer.from(sample.body as string, 'base64');
    return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: OK, isBase64Encoded: false };
  }, DURATION);
  const verified = await callsPerSecond(() => handler(sample), DURATION);
  return { adapter: 'Lambda (HTTP API v2)', bare, hookguard: verified, note: 'in-process: event → result' };
}

const selected = (name: string) => ONLY === undefined || ONLY.some((wanted) => name.toLowerCase().includes(wanted));

const rows: Row[] = [];
console.log(`hookguard adapters: ${DURATION} s per route, ${body.length}-byte standardWebhooks delivery, full verification, dedupe off\n`);
for (const target of HTTP_TARGETS.filter((t) => selected(t.name))) rows.push(await benchHttp(target));
if (selected('fetch (Request)')) rows.push(await benchFetch());
if (selected('Lambda (HTTP API v2)')) rows.push(await benchLambda());

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const table = [
  ['adapter', 'bare raw-body', 'hookguard', 'ratio', 'measured'],
  ...rows.map((row) => [row.adapter, `${fmt(row.bare)}/s`, `${fmt(row.hookguard)}/s`, `${(row.hookguard / row.bare).toFixed(2)}×`, row.note]),
];
const widths = (table[0] as string[]).map((_, col) => Math.max(...table.map((line) => (line[col] as string).length)));
for (const [i, line] of table.entries()) {
  console.log(line.map((cell, col) => (col === 0 || col === 4 ? cell.padEnd(widths[col] as number) : cell.padStart(widths[col] as number))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log(
  '\nratio = hookguard ÷ bare on the same framework. In-process rows (fetch, Lambda) have no HTTP or runtime\n' +
    'overhead in either column, so their ratios show the pipeline alone; HTTP rows show what a server sees.',
);
