import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** A request exactly as it reached a server: the headers as sent (rawHeaders) and the body bytes. */
export interface Raw {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
  at: Date;
}

/** A server on 127.0.0.1 that answers 200 and keeps each request as it arrived. */
export async function startCapture(): Promise<{ url: string; requests: Raw[]; close(): Promise<void> }> {
  const requests: Raw[] = [];
  const server = createServer(async (req, res) => {
    requests.push({ method: req.method ?? 'POST', url: req.url ?? '/', rawHeaders: req.rawHeaders, body: await readAll(req), at: new Date() });
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const dir = mkdtempSync(join(tmpdir(), 'hookguard-explain-'));
let n = 0;

function pairs(raw: Raw): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.rawHeaders.length; i += 2) out.push([raw.rawHeaders[i] as string, raw.rawHeaders[i + 1] as string]);
  return out;
}

/** Writes the request as raw HTTP, a HAR file or a curl command line, and returns the file's path. */
export function saveAs(raw: Raw, format: 'http' | 'har' | 'curl'): string {
  const file = join(dir, `request-${n++}.${format === 'http' ? 'txt' : format === 'har' ? 'har' : 'sh'}`);
  const host = pairs(raw).find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost';
  if (format === 'http') {
    const head = `${raw.method} ${raw.url} HTTP/1.1\r\n${pairs(raw).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    writeFileSync(file, Buffer.concat([Buffer.from(head, 'latin1'), raw.body]));
  } else if (format === 'har') {
    const entry = { startedDateTime: raw.at.toISOString(), request: { method: raw.method, url: `http://${host}${raw.url}`, httpVersion: 'HTTP/1.1', headers: pairs(raw).map(([name, value]) => ({ name, value })), postData: { mimeType: 'application/json', text: raw.body.toString('utf8') } } };
    writeFileSync(file, JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [entry] } }, null, 2));
  } else {
    const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
    const headers = pairs(raw).filter(([k]) => !['host', 'content-length', 'connection'].includes(k.toLowerCase()));
    writeFileSync(file, `curl -X ${raw.method} ${quote(`http://${host}${raw.url}`)} \\\n${headers.map(([k, v]) => `  -H ${quote(`${k}: ${v}`)} \\\n`).join('')}  --data-raw ${quote(raw.body.toString('utf8'))}\n`);
  }
  return file;
}
