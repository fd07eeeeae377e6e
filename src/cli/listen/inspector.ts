import type { IncomingMessage, ServerResponse } from 'node:http';
import { curlCommand } from './curl.js';
import { saveFixture } from './fixture.js';
import type { Listener } from './listener.js';
import { PAGE } from './page.js';
import { replay } from './replay.js';
import type { EventStream } from './sse.js';

export const API = '/_hookguard/';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The inspector answers only requests made on this machine: a Host that names the loopback and no
 * proxy headers. Through a tunnel (which sets X-Forwarded-For or its own Host) the page, the history
 * and replay are not reachable, and a page on another site cannot reach them by DNS rebinding.
 */
export function isLocal(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return LOOPBACK.has(host) && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined && req.headers['x-forwarded-host'] === undefined;
}

export function servePage(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:", 'x-frame-options': 'DENY' });
  res.end(PAGE);
}

/** The page's API under /_hookguard/: the history, live events, replay, curl and fixtures. */
export async function serveApi(listener: Listener, events: EventStream, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = path.slice(API.length);
  if (req.method === 'GET' && route === 'deliveries') return json(res, 200, { preset: listener.preset.name, forward: listener.forward ?? null, forwardAll: listener.forwardAll, canResign: canResign(listener), deliveries: listener.history.all() });
  if (req.method === 'GET' && route === 'events') return events.add(res);
  const match = /^deliveries\/(\d+)\/(replay|curl|fixture)$/.exec(route);
  const record = match ? listener.history.get(Number(match[1])) : undefined;
  if (!match || record === undefined) return json(res, 404, { error: { code: 'not_found', message: `No ${path} here.` } });
  const action = match[2];
  if (action === 'curl' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return void res.end(curlCommand(record, listener.forward ?? `${listener.origin}${record.path}`));
  }
  // A cross-site form cannot set this header, and a cross-site fetch that sets it needs a preflight we never answer.
  if (req.method !== 'POST' || req.headers['x-hookguard-inspector'] !== '1') return json(res, 403, { error: { code: 'forbidden', message: 'POST with X-Hookguard-Inspector: 1.' } });
  if (action === 'fixture') return json(res, 200, saveFixture(listener, record));
  const mode = new URL(req.url ?? '/', 'http://localhost').searchParams.get('mode') === 'original' ? 'original' : 'resigned';
  const result = await replay(listener, record, mode);
  record.replays.push(result);
  listener.history.changed();
  listener.publish(record, 'replay');
  return json(res, 200, result);
}

function canResign(listener: Listener): boolean {
  return listener.keys.secrets.length > 0 || listener.keys.privateKey !== undefined;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}
