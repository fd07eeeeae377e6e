import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passableHeaders } from './exchange.js';
import type { Listener } from './listener.js';
import { bodyOf, type DeliveryRecord } from './record.js';

/**
 * A recorded delivery as a test fixture: the bytes, the event type and the sender's other headers,
 * without any signature. Tests sign it again with their own test secret:
 *
 * @example
 * const fixture = JSON.parse(readFileSync('test/fixtures/stripe-invoice.paid-3.json', 'utf8'));
 * const { headers, body } = signRequest(provider, fixture.body, { type: fixture.type, headers: fixture.headers });
 * await request(app).post(fixture.path).set(headers).send(body).expect(200);
 */
export interface Fixture {
  hookguardFixture: 1;
  preset: string;
  type?: string;
  id?: string;
  receivedAt: string;
  method: string;
  path: string;
  /** The sender's headers other than signatures, timestamps and the ones the preset signs. */
  headers: Record<string, string>;
  /** The body as text when it is UTF-8; otherwise `bodyBase64`. */
  body?: string;
  bodyBase64?: string;
}

export function fixtureOf(listener: Listener, record: DeliveryRecord): Fixture {
  const bytes = bodyOf(record);
  const text = bytes.toString('utf8');
  const signedNames = new Set([listener.preset.signatureHeader, ...namesTheSignerSets(listener, record)]);
  const headers: Record<string, string> = {};
  for (const [name, value] of passableHeaders(record.headers)) {
    const lower = name.toLowerCase();
    if (signedNames.has(lower) || /signature|timestamp|token|hmac/.test(lower) || value.includes('[redacted')) continue;
    headers[lower] = value;
  }
  return {
    hookguardFixture: 1,
    preset: record.preset,
    ...(record.type !== undefined ? { type: record.type } : {}),
    ...(record.id !== undefined ? { id: record.id } : {}),
    receivedAt: record.receivedAt,
    method: record.method,
    path: record.path,
    headers,
    ...(Buffer.from(text, 'utf8').equals(bytes) ? { body: text } : { bodyBase64: bytes.toString('base64') }),
  };
}

/** Writes `<dir>/fixtures/<preset>-<type>-<n>.json` and returns its path. */
export function saveFixture(listener: Listener, record: DeliveryRecord): { path: string; fixture: Fixture } {
  const fixture = fixtureOf(listener, record);
  const dir = join(listener.history.dir, 'fixtures');
  mkdirSync(dir, { recursive: true });
  const name = `${record.preset}-${(record.type ?? 'delivery').replace(/[^A-Za-z0-9._-]+/g, '_')}-${record.n}.json`;
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`);
  return { path, fixture };
}

/** Header names the preset's signer produces (signature, timestamp, id, event type), when it can sign. */
function namesTheSignerSets(listener: Listener, record: DeliveryRecord): string[] {
  try {
    const signed = listener.provider.sign({ body: bodyOf(record), ...(record.type !== undefined ? { type: record.type } : {}), url: listener.keys.url ?? 'http://localhost/' });
    return Object.keys(signed.headers).map((name) => name.toLowerCase());
  } catch {
    return [];
  }
}
