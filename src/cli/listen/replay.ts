import { signDelivery } from '../deliver.js';
import { UsageError } from '../usage-error.js';
import { exchange, passableHeaders } from './exchange.js';
import type { Listener } from './listener.js';
import { bodyOf, unredact, type DeliveryRecord, type Replay } from './record.js';

/**
 * Sends a recorded delivery to the app again. `resigned` signs the same bytes with the preset's own
 * signer and a fresh timestamp (and id, where the id is a header); `original` sends the headers and
 * bytes as received, which a receiver with a replay window refuses once it is stale.
 */
export async function replay(listener: Listener, record: DeliveryRecord, mode: Replay['mode']): Promise<Replay> {
  const at = new Date().toISOString();
  const target = listener.forward;
  const failed = (error: string): Replay => ({ mode, url: target ?? '', at, ms: 0, error });
  if (target === undefined) return failed('replay sends to your app: start listen with --forward <your webhook URL>');
  if (record.truncated) return failed(`the body (${record.size} bytes) was cut when recorded; it cannot be replayed`);
  const body = bodyOf(record);
  const received = passableHeaders(record.headers).map(([name, value]): [string, string] => [name, unredact(value, listener.secrets)]);
  let headers = received;
  if (mode === 'resigned') {
    try {
      const signed = signDelivery({ preset: listener.preset, provider: listener.provider, keys: listener.keys, body, url: target, ...(record.type !== undefined ? { type: record.type } : {}) });
      headers = overlay(received, signed.headers);
    } catch (error) {
      const reason = error instanceof UsageError ? error.message : (error as Error).message;
      return failed(`cannot re-sign (${reason}); listen needs the signing key (--secret, or --private-key for Ed25519). Replay it as received instead.`);
    }
  }
  return { mode, ...(await exchange(target, headers, body)) };
}

/** `received` with every header that `signed` sets replaced, whatever its case. */
export function overlay(received: Array<[string, string]>, signed: Record<string, string>): Array<[string, string]> {
  const replaced = new Set(Object.keys(signed).map((name) => name.toLowerCase()));
  return [...received.filter(([name]) => !replaced.has(name.toLowerCase())), ...Object.entries(signed)];
}
