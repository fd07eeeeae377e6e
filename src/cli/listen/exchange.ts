import { Buffer } from 'node:buffer';
import { capText, type AppExchange } from './record.js';

/** Headers a proxy must not pass on (RFC 9110 §7.6.1) and the ones fetch sets itself. */
const HOP_BY_HOP = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'proxy-connection', 'te', 'trailer']);

export function passableHeaders(headers: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())).map(([name, value]) => [name, value]);
}

/** POSTs the exact bytes to the app and records its answer; a failure is recorded, never thrown. */
export async function exchange(url: string, headers: Array<[string, string]>, body: Buffer, timeoutMs = 30_000): Promise<AppExchange> {
  const at = new Date().toISOString();
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { url, at, ms: elapsed(started), status: response.status, headers: Object.fromEntries(response.headers), ...capText(text) };
  } catch (error) {
    const reason = ((error as Error).cause as { code?: string } | undefined)?.code ?? (error as Error).name;
    return { url, at, ms: elapsed(started), error: `could not reach ${url} (${reason}). Is your app listening there?` };
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
