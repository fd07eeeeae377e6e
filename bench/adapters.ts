/**
 * `npm run bench:adapters`: requests/s of a signed delivery through each adapter with full
 * verification (signature, timestamp, JSON, zod schema, handler; dedupe off, as autocannon
 * repeats one request), as a ratio of the same framework's bare route that reads the bytes and
 * answers {"ok":true}. HTTP adapters serve from this process on 127.0.0.1:0, loaded by autocannon
 * from a separate process; the fetch and Lambda handlers are measured in process, calls/s against
 * their bare equivalents.
 *
 *   npx tsx bench/adapters.ts [--duration 5] [--connections 10] [--only fastify,hono]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
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
import { option, table } from './lib/harness.js';

const DURATION = Number(option('duration', '5'));
const CONNECTIONS = Number(option('connections', '10'));
const ONLY = option('only')?.split(',').map((name) => name.trim().toLowerCase());
const OK = '{"ok":true}';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

const provider = providers.standardWebhooks({ secret: 'whsec_aG9va2d1YXJkLWJlbmNoLWFkYXB0ZXJzLXNlY3JldC0zMmIh' });
const body = JSON.stringify({
  type: 'invoice.paid',
  data: { id: 'in_1NtP2x', amount: 4200, currency: 'eur', customer: 'cus_9s6XKzkNRiz8i3', lines: Array.from({ length: 8 }, (_, i) => ({ id: `il_${i}`, amount: 525 })) },
});
/** Signed right before each measurement: the 5-minute window must hold while it runs. */
const signedHeaders = (): Record<string, string> => ({ ...provider.sign({ body }).headers, 'content-type': 'application/json' });

function receiver() {
  const events = { 'invoice.paid': z.object({ type: z.literal('invoice.paid'), data: z.object({ id: z.string(), amount: z.number().int() }) }) };
  const made = createReceiver({ provider, dedupe: false, events });
  made.on('invoice.paid', () => undefined);
  return made;
}

/** Serves `/webhooks` (hookguard) and `/raw` (the bare route) on 127.0.0.1:0. */
type Start = () => Promise<{ server: Server; close(): Promise<void> }>;

async function listening(server: Server): ReturnType<Start> {
  if (!server.listening) await once(server, 'listening');
  return { server, close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()) };
}

const expressApp = (framework: typeof express): Start => () => {
  const app = framework();
  app.post('/webhooks', expressMiddleware(receiver()));
  app.post('/raw', framework.raw({ type: '*/*', limit: '1mb' }), (_req, res) => void res.set(JSON_TYPE).end(OK));
  return listening(app.listen(0, '127.0.0.1'));
};

const HTTP: Record<string, Start> = {
  'Express 5': expressApp(express),
  'Express 4': expressApp(express4),
  'node:http': () => {
    const webhooks = nodeHandler(receiver(), { path: '/webhooks' });
    const server = createServer((req, res) => {
      if (req.url !== '/raw') return webhooks(req, res);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        Buffer.concat(chunks);
        res.writeHead(200, JSON_TYPE).end(OK);
      });
    });
    return listening(server.listen(0, '127.0.0.1'));
  },
  Fastify: async () => {
    const app = Fastify();
    await app.register(fastifyPlugin, { receiver: receiver(), path: '/webhooks' });
    await app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, bytes, done) => done(null, bytes));
      raw.post('/raw', async (_request, reply) => reply.headers(JSON_TYPE).send(OK));
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { server: app.server, close: () => app.close() };
  },
  'Hono (node-server)': () => {
    const app = new Hono();
    const handle = fetchHandler(receiver());
    app.post('/webhooks', (c) => handle(c.req.raw));
    app.post('/raw', async (c) => c.body((await c.req.arrayBuffer(), OK), 200, JSON_TYPE));
    return listening(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
  },
};

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** autocannon in its own process against `url`: average requests/s; throws on any non-2xx or error. */
async function load(url: string, seconds: number): Promise<number> {
  const argv = [autocannonCli, '--json', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST', '-b', body];
  for (const [name, value] of Object.entries(signedHeaders())) argv.push('-H', `${name}=${value}`);
  const child = spawn(process.execPath, [...argv, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result.requests.average;
}

/** Calls/s of an async function, in process, for DURATION seconds after a one-second warm-up. */
async function callsPerSecond(call: () => Promise<unknown>): Promise<number> {
  for (const end = performance.now() + 1000; performance.now() < end; ) await call();
  let calls = 0;
  const start = performance.now();
  while (performance.now() < start + DURATION * 1000) {
    for (let i = 0; i < 100; i++) await call();
    calls += 100;
  }
  return calls / ((performance.now() - start) / 1000);
}

type Row = [adapter: string, bare: number, hookguard: number, note: string];

async function benchHttp(name: string, start: Start): Promise<Row> {
  const { server, close } = await start();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const rates: number[] = [];
    for (const path of ['raw', 'webhooks']) {
      await load(`${base}/${path}`, 1); // warm-up: JIT, connections
      rates.push(await load(`${base}/${path}`, DURATION));
    }
    return [name, rates[0] as number, rates[1] as number, `HTTP, autocannon -c ${CONNECTIONS}`];
  } finally {
    await close();
  }
}

async function benchFetch(): Promise<Row> {
  const handle = fetchHandler(receiver());
  const headers = signedHeaders();
  const request = () => new Request('https://example.com/api/webhooks', { method: 'POST', headers, body });
  const first = await handle(request());
  if (first.status !== 200) throw new Error(`fetch handler answered ${first.status}: ${await first.text()}`);
  const bare = await callsPerSecond(async () => new Response((await request().arrayBuffer(), OK), { status: 200, headers: JSON_TYPE }));
  return ['fetch (Request)', bare, await callsPerSecond(() => handle(request())), 'in process: Request → Response'];
}

async function benchLambda(): Promise<Row> {
  const handler = lambdaHandler(receiver());
  const event: LambdaHttpEvent = {
    version: '2.0',
    rawPath: '/webhooks',
    rawQueryString: '',
    headers: { ...signedHeaders(), host: 'abc.lambda-url.eu-west-1.on.aws' },
    requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'POST', path: '/webhooks' } },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
  const first = await handler(event);
  if (first.statusCode !== 200) throw new Error(`lambda handler answered ${first.statusCode}: ${first.body}`);
  const bare = await callsPerSecond(async () => ({ statusCode: 200, headers: JSON_TYPE, body: (Buffer.from(event.body as string, 'base64'), OK), isBase64Encoded: false }));
  return ['Lambda (HTTP API v2)', bare, await callsPerSecond(() => handler(event)), 'in process: event → result'];
}

const selected = (name: string) => ONLY === undefined || ONLY.some((wanted) => name.toLowerCase().includes(wanted));
const rows: Row[] = [];
console.log(`hookguard adapters: ${DURATION} s per route, ${body.length}-byte standardWebhooks delivery, full verification, dedupe off\n`);
for (const [name, start] of Object.entries(HTTP)) if (selected(name)) rows.push(await benchHttp(name, start));
if (selected('fetch (Request)')) rows.push(await benchFetch());
if (selected('Lambda (HTTP API v2)')) rows.push(await benchLambda());
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
console.log(table(['adapter', 'bare', 'hookguard', 'ratio', 'measured'], rows.map(([name, bare, ours, note]) => [name, fmt(bare), fmt(ours), `${(ours / bare).toFixed(2)}×`, note])));
console.log('\nratio = hookguard ÷ bare on the same framework. In-process rows show the pipeline alone; HTTP rows what a server sees.');
