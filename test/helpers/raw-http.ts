/**
 * A raw HTTP/1.1 client over `net`, for tests that must control timing byte by byte (a slow
 * upload, a drip, a body that never ends), which fetch, undici and supertest all hide.
 */
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte sent to the response's status line. */
  at: number;
  /** Body bytes the client had written when the status line arrived. */
  bytesWrittenBefore: number;
  /** Whether the client was still writing the body (had not sent its last byte) when the answer came. */
  answeredWhileWriting: boolean;
  /** Whether the server closed the connection (FIN or reset); only watched for with `awaitClose`. */
  serverClosed: boolean;
}

export interface RawRequest {
  port: number;
  method?: string;
  path?: string;
  headers: Record<string, string>;
  /** Body chunks, sent `intervalMs` apart (the first at once). */
  chunks?: Buffer[];
  intervalMs?: number;
  /** Give up after this long (ms) with whatever arrived. */
  timeoutMs?: number;
  /** After the answer, keep the connection open (up to `timeoutMs`) to see whether the server closes it. */
  awaitClose?: boolean;
}

/** Sends one request, pacing the body, and resolves with the answer and what the client was doing when it came. */
export function rawRequest(request: RawRequest): Promise<RawResponse> {
  const { port, method = 'POST', path = '/webhooks', headers, chunks = [], intervalMs = 0, timeoutMs = 15_000, awaitClose = false } = request;
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const started = Date.now();
    let received = Buffer.alloc(0);
    let written = 0;
    let writing = chunks.length > 0;
    let statusAt: number | undefined;
    let writtenAtStatus = 0;
    let writingAtStatus = false;
    let serverClosed = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let pacer: NodeJS.Timeout | undefined;

    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(pacer);
      socket.destroy();
      const text = received.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (statusAt === undefined || split === -1) {
        reject(new Error(`no complete response (got ${JSON.stringify(text.slice(0, 200))})`));
        return;
      }
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const parsedHeaders: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        parsedHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body: Buffer = received.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
      if (parsedHeaders['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsedHeaders,
        body: body.toString('utf8'),
        at: statusAt,
        bytesWrittenBefore: writtenAtStatus,
        answeredWhileWriting: writingAtStatus,
        serverClosed,
      });
    };

    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (statusAt === undefined && received.includes('\r\n')) {
        statusAt = Date.now() - started;
        writtenAtStatus = written;
        writingAtStatus = writing;
      }
      if (!awaitClose && complete(received, method)) finish();
    });
    socket.on('end', () => {
      serverClosed = true;
      finish();
    });
    socket.on('error', () => {
      serverClosed = true;
      if (statusAt !== undefined) finish();
      else if (!done) {
        done = true;
        reject(new Error('connection reset before any answer'));
      }
    });
    timer = setTimeout(finish, timeoutMs);

    const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
    socket.write(head, 'latin1');
    let next = 0;
    const send = (): void => {
      if (socket.destroyed || statusAt !== undefined) {
        writing = false; // the answer came: a real sender stops uploading too
        return;
      }
      const chunk = chunks[next++];
      if (chunk === undefined) {
        writing = false;
        return;
      }
      socket.write(chunk);
      written += chunk.byteLength;
      if (next === chunks.length) writing = false;
      else pacer = setTimeout(send, intervalMs);
    };
    if (chunks.length > 0) send();
  });
}

/** True once `data` holds a whole response: headers, then a Content-Length body or a final chunk. */
function complete(data: Buffer, method: string): boolean {
  const text = data.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return false;
  if (method === 'HEAD') return true;
  const head = text.slice(0, split).toLowerCase();
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return data.byteLength - (split + 4) >= Number(length[1]);
  if (head.includes('transfer-encoding: chunked')) return text.endsWith('0\r\n\r\n');
  return false;
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** `chunks` of `size` bytes each, `count` of them, as a chunked transfer encoding frames them. */
export function chunked(count: number, size: number, fill = 0x61): Buffer[] {
  return Array.from({ length: count }, () => Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), Buffer.alloc(size, fill), Buffer.from('\r\n')]));
}

/** The bytes of `body` split into `count` chunks of about equal size, for a Content-Length upload. */
export function pieces(body: Buffer, count: number): Buffer[] {
  const size = Math.ceil(body.length / count);
  return Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));
}
