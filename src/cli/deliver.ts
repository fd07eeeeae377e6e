import { Buffer } from 'node:buffer';
import { bodyBytes } from '../core/encoding.js';
import type { Provider } from '../providers/types.js';
import { profileOf } from './sender-profile.js';
import type { PresetInfo, PresetKeys } from './presets.js';
import { UsageError } from './usage-error.js';

/** A request ready to send, exactly as the sender would send it. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface SignOptions {
  preset: PresetInfo;
  provider: Provider;
  keys: PresetKeys;
  body: string | Uint8Array;
  /** Where to send it. */
  url: string;
  type?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  extraHeaders?: Record<string, string>;
}

/** Signs with the preset's own signer and adds the headers the sender always sets. */
export function signDelivery(options: SignOptions): OutgoingRequest {
  const { preset, provider, keys, body } = options;
  const now = Math.floor(Date.now() / 1000);
  // Senders that sign the URL sign the public one (the tunnel's), which may differ from where we post.
  const signedUrl = preset.signsUrl === 'request' ? (keys.url ?? options.url) : undefined;
  let signed;
  try {
    signed = provider.sign({
      body,
      ...(options.type !== undefined ? { type: options.type } : {}),
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
      ...(signedUrl !== undefined ? { url: signedUrl } : {}),
    });
  } catch (error) {
    throw new UsageError(`${preset.name} cannot sign: ${(error as Error).message}`);
  }
  const profile = profileOf(preset.name);
  const senderHeaders = profile.headers?.({ body: signed.body, ...(options.type !== undefined ? { type: options.type } : {}), now, keys }) ?? {};
  const headers = { ...senderHeaders, ...signed.headers, ...options.extraHeaders };
  // Twilio appends bodySHA256 to the URL it signs; the request goes to the same path and query.
  const url = signed.url !== undefined && signedUrl !== undefined ? withQueryOf(options.url, signed.url) : options.url;
  return { url, headers, body: Buffer.from(bodyBytes(signed.body)) };
}

/** The delivery with one byte of its body changed after signing: what a correct receiver must refuse. */
export function tampered(request: OutgoingRequest): OutgoingRequest {
  const body = Buffer.from(request.body);
  const at = body.findIndex((byte) => byte >= 0x30 && byte <= 0x39);
  const index = at === -1 ? Math.max(0, body.length - 2) : at;
  body[index] = at === -1 ? (body[index] ?? 0) ^ 0x01 : 0x30 + (((body[index] as number) - 0x30 + 1) % 10);
  return { ...request, body };
}

function withQueryOf(target: string, signed: string): string {
  const query = signed.indexOf('?');
  if (query === -1) return target;
  return target.split('?')[0] + signed.slice(query);
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** POSTs the exact bytes; a network failure is `unreachable` (exit 3). */
export async function post(request: OutgoingRequest, timeoutMs = 10_000): Promise<Answer> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (error) {
    throw new Unreachable(request.url, error as Error);
  }
  const body = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body, ms: Math.round(performance.now() - started) };
}

export class Unreachable extends Error {
  override readonly name = 'Unreachable';
  constructor(url: string, cause: Error) {
    const reason = (cause.cause as { code?: string } | undefined)?.code ?? cause.name;
    super(`Could not reach ${url} (${reason}). Is your app listening there?`);
  }
}
