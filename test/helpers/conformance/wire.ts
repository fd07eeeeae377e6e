import { request, type IncomingMessage } from 'node:http';
import type { WireRequest, WireResponse } from './types.js';

const CHUNK = 16 * 1024;

/**
 * Sends `req` to `baseUrl` with node:http, byte for byte: a Content-Length unless `chunked`
 * (then several writes and Transfer-Encoding: chunked). One connection per request
 * (`agent: false`), so no case leaves a kept-alive socket to the next.
 */
export async function sendOverHttp(baseUrl: string, req: WireRequest): Promise<WireResponse> {
  const url = new URL(req.path, baseUrl);
  const headers: Record<string, string> = { ...req.headers };
  if (!req.chunked && req.body.byteLength > 0) headers['content-length'] = String(req.body.byteLength);
  const outgoing = request({ host: url.hostname, port: url.port, method: req.method, path: `${url.pathname}${url.search}`, headers, agent: false });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    // An error after the answer (the server closed while the rest of an oversized body was still
    // going out) changes nothing; one before it fails the request.
    outgoing.on('error', reject);
  });
  if (req.chunked) {
    for (let offset = 0; offset < req.body.byteLength; offset += CHUNK) outgoing.write(req.body.subarray(offset, offset + CHUNK));
  } else if (req.body.byteLength > 0) {
    outgoing.write(req.body);
  }
  outgoing.end();
  const res = await answered;
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return {
    status: res.statusCode ?? 0,
    headers: pickHeaders((name) => res.headers[name] as string | undefined),
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

/** The headers every adapter must agree on, from any header lookup. */
export function pickHeaders(get: (name: 'content-type' | 'allow') => string | null | undefined): WireResponse['headers'] {
  const headers: WireResponse['headers'] = {};
  const contentType = get('content-type');
  const allow = get('allow');
  if (contentType !== undefined && contentType !== null) headers['content-type'] = contentType;
  if (allow !== undefined && allow !== null) headers.allow = allow;
  return headers;
}
