/**
 * The server process for the body-budget test (#13), started with `node --import tsx`: three
 * servers on 127.0.0.1 in one process, one per adapter (nodeHandler, Express, fetchHandler on
 * @hono/node-server), each with a GitHub receiver at /github (25 MiB bodies) and a Standard
 * Webhooks receiver raised to the same limit at /sw (its signature carries a timestamp). All
 * receivers use the defaults for the body budget, the inflation cap and the timeouts.
 * Prints `READY <node port>,<express port>,<fetch port>`; GET /handled → deliveries handled.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import express from 'express';
import { serve } from '@hono/node-server';
import { createReceiver, providers } from '../../src/index.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { fetchHandler } from '../../src/adapters/fetch.js';
import { nodeHandler } from '../../src/adapters/node.js';

const MAX = 25 * 1024 * 1024;
let handled = 0;
function receivers() {
  const github = createReceiver({ provider: providers.github({ secret: process.env.GITHUB_SECRET as string }) });
  const sw = createReceiver({ provider: providers.standardWebhooks({ secret: process.env.SW_SECRET as string }), maxBodyBytes: MAX });
  github.onAny(() => void handled++);
  sw.onAny(() => void handled++);
  return { github, sw };
}

const handledAnswer = (): string => JSON.stringify({ handled });

const forNode = receivers();
const github = nodeHandler(forNode.github);
const sw = nodeHandler(forNode.sw);
const nodeServer = createServer((req, res) => {
  if (req.method === 'GET') return void res.end(handledAnswer());
  (req.url === '/github' ? github : sw)(req, res);
});

const forExpress = receivers();
const app = express();
app.get('/handled', (_req, res) => void res.end(handledAnswer()));
app.post('/github', expressMiddleware(forExpress.github));
app.post('/sw', expressMiddleware(forExpress.sw));
const expressServer = createServer(app);

const forFetch = receivers();
const fetchGithub = fetchHandler(forFetch.github);
const fetchSw = fetchHandler(forFetch.sw);
const fetchServer = serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request: Request) => {
    if (request.method === 'GET') return new Response(handledAnswer());
    return new URL(request.url).pathname === '/github' ? fetchGithub(request) : fetchSw(request);
  },
}) as Server;

async function listen(server: Server): Promise<number> {
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  return (server.address() as AddressInfo).port;
}

const ports = [await listen(nodeServer), await listen(expressServer), await listen(fetchServer)];
console.log(`READY ${ports.join(',')}`);
