/**
 * Loads the signed-delivery vectors in `test/fixtures/vectors/*.json`
 * (format `hookguard-webhook-vectors/1`, described in that folder's README.md).
 *
 * Every body is rebuilt to its exact bytes and checked against the vector's `bodyBytes` and
 * `bodySha256`; a mismatch, a malformed file, a duplicate id or an empty folder throws, so a
 * broken fixture can never make the vector tests pass by running nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTOR_FORMAT = 'hookguard-webhook-vectors/1';

/** Resolved from this file, so the tests find their fixtures from any working directory. */
const VECTORS_URL = new URL('../fixtures/vectors/', import.meta.url);
export const VECTORS_DIR = fileURLToPath(VECTORS_URL);

export type VectorProvider =
  | 'standard-webhooks'
  | 'svix'
  | 'stripe'
  | 'github'
  | 'slack'
  | 'shopify'
  | 'discord'
  | 'twilio'
  | 'paddle'
  | 'sendgrid';

/** The codes a vector may expect (README: `reason`, `acceptableReasons`). */
export type VectorReason =
  | 'missing_header'
  | 'malformed_header'
  | 'signature_mismatch'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'misconfigured';

export interface BodyGenerator {
  type: 'repeat';
  prefix: string;
  unit: string;
  separator: string;
  count: number;
  suffix: string;
}

/** One vector exactly as stored in the JSON file. */
export interface VectorJson {
  id: string;
  provider: VectorProvider;
  description: string;
  secret?: string;
  secrets?: string[];
  secretFormat?: 'utf8' | 'whsec-base64';
  publicKey?: string;
  publicKeys?: string[];
  publicKeyFormat?: 'whpk-base64' | 'hex' | 'spki-der-base64';
  options?: { headerPrefix?: 'webhook' | 'svix'; toleranceSeconds?: number };
  method: string;
  url?: string;
  headers: Record<string, string>;
  body?: string;
  bodyEncoding: 'utf8' | 'base64';
  bodyGenerator?: BodyGenerator;
  bodyBytes: number;
  bodySha256: string;
  payloadKind: 'json' | 'form' | 'text' | 'binary' | 'empty';
  now: number;
  expect: 'valid' | 'invalid';
  reason?: VectorReason;
  acceptableReasons?: VectorReason[];
  source: { kind: string; [key: string]: unknown };
  notes?: string;
}

/** A loaded vector: the stored fields plus the rebuilt, checked body bytes. */
export interface Vector extends VectorJson {
  /** The file it came from, e.g. `stripe.json`. */
  file: string;
  /** The exact body bytes (decoded from `body` or generated), checked against `bodyBytes`/`bodySha256`. */
  rawBody: Buffer;
}

export interface VectorFile {
  file: string;
  provider: VectorProvider;
  scheme: string;
  /** The number of vectors the file declares. */
  count: number;
  vectors: Vector[];
}

let cache: VectorFile[] | undefined;

/** Every vector file, sorted by name. Throws if there is none or any file is malformed. */
export function loadVectorFiles(): VectorFile[] {
  cache ??= readVectorFiles();
  return cache;
}

/**
 * Every vector, or those of one provider. Throws when nothing matches, so a typo in a
 * provider name fails loudly instead of running zero tests.
 */
export function loadVectors(provider?: VectorProvider): Vector[] {
  const all = loadVectorFiles().flatMap((file) => file.vectors);
  const selected = provider === undefined ? all : all.filter((vector) => vector.provider === provider);
  if (selected.length === 0) {
    throw new Error(`No vectors found${provider === undefined ? '' : ` for provider "${provider}"`} in ${VECTORS_DIR}.`);
  }
  return selected;
}

function readVectorFiles(): VectorFile[] {
  const names = readdirSync(VECTORS_URL)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (names.length === 0) throw new Error(`No vector files (*.json) found in ${VECTORS_DIR}.`);
  const seen = new Set<string>();
  const files = names.map((name) => readVectorFile(name));
  for (const file of files) {
    for (const vector of file.vectors) {
      if (seen.has(vector.id)) throw new Error(`${file.file}: duplicate vector id "${vector.id}".`);
      seen.add(vector.id);
    }
  }
  return files;
}

function readVectorFile(name: string): VectorFile {
  const parsed: unknown = JSON.parse(readFileSync(new URL(name, VECTORS_URL), 'utf8'));
  const data = parsed as { format?: unknown; provider?: unknown; scheme?: unknown; count?: unknown; vectors?: unknown };
  if (data.format !== VECTOR_FORMAT) {
    throw new Error(`${name}: format is ${JSON.stringify(data.format)}, expected "${VECTOR_FORMAT}".`);
  }
  if (typeof data.provider !== 'string') throw new Error(`${name}: "provider" must be a string.`);
  if (typeof data.count !== 'number' || !Number.isInteger(data.count)) throw new Error(`${name}: "count" must be an integer.`);
  if (!Array.isArray(data.vectors) || data.vectors.length === 0) throw new Error(`${name}: "vectors" is missing or empty.`);
  const vectors = (data.vectors as unknown[]).map((raw, index) => toVector(raw, name, index));
  return {
    file: name,
    provider: data.provider as VectorProvider,
    scheme: typeof data.scheme === 'string' ? data.scheme : '',
    count: data.count,
    vectors,
  };
}

function toVector(raw: unknown, file: string, index: number): Vector {
  const where = `${file} vectors[${index}]`;
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: not an object.`);
  const json = raw as VectorJson;
  for (const key of ['id', 'provider', 'description', 'method', 'bodySha256', 'payloadKind'] as const) {
    if (typeof json[key] !== 'string') throw new Error(`${where}: "${key}" must be a string.`);
  }
  for (const key of ['bodyBytes', 'now'] as const) {
    if (typeof json[key] !== 'number' || !Number.isInteger(json[key])) throw new Error(`${where} (${json.id}): "${key}" must be an integer.`);
  }
  if (typeof json.headers !== 'object' || json.headers === null) throw new Error(`${where} (${json.id}): "headers" must be an object.`);
  if (json.expect !== 'valid' && json.expect !== 'invalid') throw new Error(`${where} (${json.id}): "expect" must be "valid" or "invalid".`);
  if (json.expect === 'invalid' && typeof json.reason !== 'string') throw new Error(`${where} (${json.id}): an invalid vector needs a "reason".`);
  if (json.expect === 'valid' && json.reason !== undefined) throw new Error(`${where} (${json.id}): a valid vector has no "reason".`);
  const rawBody = rebuildBody(json, `${where} (${json.id})`);
  return { ...json, file, rawBody };
}

/** Rebuilds the exact body bytes and proves them against `bodyBytes` and `bodySha256`. */
function rebuildBody(vector: VectorJson, where: string): Buffer {
  let bytes: Buffer;
  if (vector.bodyGenerator !== undefined) {
    if (vector.body !== undefined) throw new Error(`${where}: has both "body" and "bodyGenerator".`);
    bytes = generateBody(vector.bodyGenerator, where);
  } else if (typeof vector.body === 'string') {
    if (vector.bodyEncoding === 'utf8') bytes = Buffer.from(vector.body, 'utf8');
    else if (vector.bodyEncoding === 'base64') bytes = Buffer.from(vector.body, 'base64');
    else throw new Error(`${where}: unknown bodyEncoding ${JSON.stringify(vector.bodyEncoding)}.`);
  } else {
    throw new Error(`${where}: has neither "body" nor "bodyGenerator".`);
  }
  if (bytes.byteLength !== vector.bodyBytes) {
    throw new Error(`${where}: rebuilt body is ${bytes.byteLength} bytes, the vector says ${vector.bodyBytes}.`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== vector.bodySha256.toLowerCase()) {
    throw new Error(`${where}: rebuilt body has SHA-256 ${sha256}, the vector says ${vector.bodySha256}.`);
  }
  return bytes;
}

function generateBody(generator: BodyGenerator, where: string): Buffer {
  if (generator.type !== 'repeat') throw new Error(`${where}: unknown bodyGenerator type ${JSON.stringify(generator.type)}.`);
  const { prefix, unit, separator, count, suffix } = generator;
  if (![prefix, unit, separator, suffix].every((part) => typeof part === 'string') || !Number.isInteger(count) || count < 0) {
    throw new Error(`${where}: malformed bodyGenerator.`);
  }
  return Buffer.from(prefix + Array.from({ length: count }, () => unit).join(separator) + suffix, 'utf8');
}
