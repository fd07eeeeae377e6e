/**
 * Every adapter, mounted at PATH the way its users mount it, through its real framework on
 * 127.0.0.1:0 — or, for fetch and Lambda, called the way their hosts call them: with real
 * `Request` objects, and with API Gateway events in their recorded shapes.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import express from 'express';
import express4 from 'express4';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { expressMiddleware } from '../../../src/adapters/express.js';
import { fastifyPlugin } from '../../../src/adapters/fastify.js';
import { fetchHandler } from '../../../src/adapters/fetch.js';
import { lambdaHandler, type LambdaHttpEvent } from '../../../src/adapters/lambda.js';
import { nodeHandler } from '../../../src/adapters/node.js';
import type { Receiver } from '../../../src/receiver/types.js';
import { listen, serverAt, type Listening } from '../server.js';
import { httpApiEvent, restApiEvent } from './lambda-events.js';
import { PATH, type AdapterUnderTest, type Driver, type WireRequest, type WireResponse } from './types.js';
import { pickHeaders, sendOverHttp } from './wire.js';

function overHttp(server: Listening): Driver {
  return { send: (req) => sendOverHttp(server.url, req), close: () => server.close() };
}

/** `app.all`: every method reaches the middleware, which answers 405 itself (DESIGN: never next()). */
function expressAdapter(name: string, expressModule: typeof express): AdapterUnderTest {
  return {
    name,
    async start(receiver) {
      const app = expressModule();
      app.all(PATH, expressMiddleware(receiver));
      app.use(expressModule.json()); // the rest of the app keeps its JSON parser, after the webhook route
      return overHttp(await listen(app));
    },
  };
}

const nodeAdapter: AdapterUnderTest = {
  name: 'node:http',
  async start(receiver) {
    return overHttp(await listen(createServer(nodeHandler(receiver, { path: PATH }))));
  },
};

/** The plugin in its own context, beside a JSON route that must keep Fastify's JSON parser. */
const fastifyAdapter: AdapterUnderTest = {
  name: 'Fastify',
  async start(receiver) {
    const app = Fastify();
    await app.register(fastifyPlugin, { receiver, path: PATH });
    app.post('/json', async (request) => ({ parsed: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const server = serverAt(app.server);
    return { send: (req) => sendOverHttp(server.url, req), close: () => app.close() };
  },
};

/** Hono on @hono/node-server; `app.all` so a non-POST reaches the handler and gets its 405. */
const honoAdapter: AdapterUnderTest = {
  name: 'Hono (node-server)',
  async start(receiver) {
    const app = new Hono();
    const handle = fetchHandler(receiver);
    app.all(PATH, (c) => handle(c.req.raw));
    app.post('/json', async (c) => c.json({ parsed: await c.req.json() }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    if (!server.listening) await once(server, 'listening');
    return overHttp(serverAt(server));
  },
};

/** The fetch handler as Next.js, Bun, Deno and Workers call it: a real Request, no server. */
const fetchAdapter: AdapterUnderTest = {
  name: 'fetch (Request)',
  async start(receiver) {
    const handle = fetchHandler(receiver);
    return { send: async (req) => fromResponse(await handle(toRequest(req))), close: async () => {} };
  },
};

function toRequest(req: WireRequest): Request {
  const headers = new Headers(req.headers);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.body.byteLength > 0) {
    if (req.chunked) {
      // A stream of its own chunks and no Content-Length: the limit is decided while reading.
      const body = req.body;
      init.body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < body.byteLength; offset += 16 * 1024) controller.enqueue(new Uint8Array(body.subarray(offset, offset + 16 * 1024)));
          controller.close();
        },
      });
      init.duplex = 'half';
    } else {
      headers.set('content-length', String(req.body.byteLength)); // as a server hands it over
      init.body = new Uint8Array(req.body);
    }
  }
  return new Request(new URL(req.path, 'https://example.com'), init);
}

async function fromResponse(res: Response): Promise<WireResponse> {
  return { status: res.status, headers: pickHeaders((name) => res.headers.get(name)), body: await res.text() };
}

function lambdaAdapter(name: string, toEvent: (req: WireRequest) => LambdaHttpEvent): AdapterUnderTest {
  return {
    name,
    async start(receiver: Receiver<any>) {
      const handler = lambdaHandler(receiver);
      return {
        async send(req) {
          // Through JSON, as the Lambda runtime delivers the event and reads the result.
          const event = JSON.parse(JSON.stringify(toEvent(req))) as LambdaHttpEvent;
          const result = JSON.parse(JSON.stringify(await handler(event))) as Awaited<ReturnType<typeof handler>>;
          const lower = Object.fromEntries(Object.entries(result.headers).map(([k, v]) => [k.toLowerCase(), v]));
          const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
          return { status: result.statusCode, headers: pickHeaders((header) => lower[header]), body };
        },
        close: async () => {},
      };
    },
  };
}

export const ADAPTERS: readonly AdapterUnderTest[] = [
  expressAdapter('Express 5', express),
  expressAdapter('Express 4', express4),
  nodeAdapter,
  fastifyAdapter,
  honoAdapter,
  fetchAdapter,
  lambdaAdapter('Lambda REST API (v1)', restApiEvent),
  lambdaAdapter('Lambda HTTP API (v2)', httpApiEvent),
];
