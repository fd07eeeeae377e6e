import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { API, isLocal, serveApi, servePage } from './inspector.js';
import { intake } from './intake.js';
import type { Listener } from './listener.js';
import type { EventStream } from './sse.js';

/** GitHub's documented cap, the largest of the presets': a bigger request is refused and recorded. */
const MAX_BODY = 25 * 1024 * 1024;

/**
 * One port for both: GET / is the inspector page and /_hookguard/ its API (from this machine only);
 * every other request is a delivery.
 */
export function createListenServer(listener: Listener, events: EventStream): Server {
  return createServer((req, res) => {
    handle(listener, events, req, res).catch((error: unknown) => {
      process.stderr.write(`listen: ${(error as Error).stack ?? String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'listen_failed', message: 'hookguard listen failed on this request; see its terminal.' } }));
    });
  });
}

async function handle(listener: Listener, events: EventStream, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = req.url ?? '/';
  const pathname = path.split('?')[0] as string;
  const inspector = (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) || pathname.startsWith(API);
  if (inspector) {
    if (!isLocal(req)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('The hookguard inspector answers only on this machine (http://127.0.0.1:<port>/). Send deliveries to any other path.\n');
    }
    return pathname === '/' ? servePage(res) : serveApi(listener, events, req, res, pathname);
  }
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    return void res.end(JSON.stringify({ error: { code: 'body_too_large', message: `hookguard listen accepts bodies up to ${MAX_BODY} bytes.` } }));
  }
  const answer = await intake(listener, { method: req.method ?? 'POST', path, rawHeaders: req.rawHeaders, headers: req.headers, body });
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** The request's bytes, or undefined past MAX_BODY. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
