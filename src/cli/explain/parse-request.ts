import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../usage-error.js';
import { splitShellWords } from './shell-words.js';

/** A request as it was captured: the exact body bytes and every header. */
export interface CapturedRequest {
  method: string;
  /** Absolute (HAR, curl) or a path with its query (raw HTTP). */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Unix seconds the capture says it was made (HAR `startedDateTime`). */
  capturedAt?: number;
  format: 'http' | 'har' | 'curl';
}

/** Reads raw HTTP as sent, a HAR file or entry, or a `curl` command line; which one is told from the content. */
export function readCapturedRequest(path: string, entry = 0): CapturedRequest {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`--request: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const head = bytes.subarray(0, 64).toString('latin1').trimStart();
  if (head.startsWith('{')) return fromHar(bytes.toString('utf8'), entry);
  if (/^curl\s/.test(head)) return fromCurl(bytes.toString('utf8'), dirname(resolve(path)));
  return fromRawHttp(bytes);
}

export function fromRawHttp(bytes: Buffer): CapturedRequest {
  let end = bytes.indexOf('\r\n\r\n');
  let separator = 4;
  const lfEnd = bytes.indexOf('\n\n');
  if (end === -1 || (lfEnd !== -1 && lfEnd < end)) {
    end = lfEnd;
    separator = 2;
  }
  const head = (end === -1 ? bytes : bytes.subarray(0, end)).toString('latin1').split(/\r?\n/);
  const match = /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/.exec(head[0] ?? '');
  if (!match) throw new UsageError('--request: not raw HTTP (expected a request line like "POST /webhooks HTTP/1.1"), a HAR file, or a curl command.');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--request: not a header line: ${JSON.stringify(line.slice(0, 80))}.`);
    addHeader(headers, line.slice(0, colon), line.slice(colon + 1).trim());
  }
  let body = end === -1 ? Buffer.alloc(0) : bytes.subarray(end + separator);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (Number.isInteger(length) && length < body.length) body = body.subarray(0, length);
  }
  return { method: match[1] as string, url: match[2] as string, headers, body: Buffer.from(body), format: 'http' };
}

interface HarEntry {
  startedDateTime?: string;
  request?: { method?: string; url?: string; headers?: Array<{ name: string; value: string }>; postData?: { text?: string; encoding?: string } };
}

export function fromHar(text: string, index: number): CapturedRequest {
  let document: { log?: { entries?: HarEntry[] } } & HarEntry;
  try {
    document = JSON.parse(text) as typeof document;
  } catch (error) {
    throw new UsageError(`--request: the file starts like JSON but does not parse (${(error as Error).message}).`);
  }
  const entries = document.log?.entries ?? [document];
  const entry = entries[index];
  const request = entry?.request;
  if (request === undefined || typeof request.url !== 'string') throw new UsageError(`--request: no HAR entry ${index} with a request (the file has ${entries.length}).`);
  const headers: Record<string, string> = {};
  for (const { name, value } of request.headers ?? []) if (!name.startsWith(':')) addHeader(headers, name, value);
  const postData = request.postData;
  const body = postData?.text === undefined ? Buffer.alloc(0) : Buffer.from(postData.text, postData.encoding === 'base64' ? 'base64' : 'utf8');
  const started = entry?.startedDateTime === undefined ? NaN : Date.parse(entry.startedDateTime);
  return { method: request.method ?? 'POST', url: request.url, headers, body, ...(Number.isFinite(started) ? { capturedAt: Math.floor(started / 1000) } : {}), format: 'har' };
}

const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode']);

export function fromCurl(text: string, baseDir: string): CapturedRequest {
  const words = splitShellWords(text);
  if (words[0] !== 'curl') throw new UsageError('--request: a curl command must start with `curl`.');
  let method: string | undefined;
  let url: string | undefined;
  const headers: Record<string, string> = {};
  const data: Buffer[] = [];
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i] as string;
    const value = (): string => {
      const next = words[++i];
      if (next === undefined) throw new UsageError(`--request: curl option ${word} has no value.`);
      return next;
    };
    if (word === '-X' || word === '--request') method = value();
    else if (word === '-H' || word === '--header') {
      const line = value();
      const colon = line.indexOf(':');
      if (colon > 0) addHeader(headers, line.slice(0, colon), line.slice(colon + 1).trim());
    } else if (DATA_FLAGS.has(word)) data.push(curlData(word, value(), baseDir));
    else if (word === '--url') url = value();
    else if (word === '-A' || word === '--user-agent') headers['user-agent'] = value();
    else if (!word.startsWith('-')) url ??= word;
  }
  if (url === undefined) throw new UsageError('--request: the curl command has no URL.');
  if (data.length > 0) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  const body = Buffer.concat(data.flatMap((part, n) => (n === 0 ? [part] : [Buffer.from('&'), part])));
  return { method: method ?? (data.length > 0 ? 'POST' : 'GET'), url, headers, body, format: 'curl' };
}

/** As curl sends it: `@file` is read (and `-d` strips its CR/LF), `--data-raw` is literal. */
function curlData(flag: string, value: string, baseDir: string): Buffer {
  if (value.startsWith('@') && flag !== '--data-raw') {
    const file = value.slice(1);
    let bytes: Buffer;
    try {
      bytes = readFileSync(resolve(baseDir, file));
    } catch {
      throw new UsageError(`--request: the curl data file ${JSON.stringify(file)} cannot be read.`);
    }
    return flag === '--data-binary' ? bytes : Buffer.from(bytes.toString('utf8').replace(/[\r\n]/g, ''));
  }
  return Buffer.from(value, 'utf8');
}

function addHeader(headers: Record<string, string>, name: string, value: string): void {
  const key = name.trim().toLowerCase();
  headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
