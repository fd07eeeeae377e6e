import { randomUUID } from 'node:crypto';
import { decodeBody, type BodyFormat } from '../core/body.js';
import { bodyBytes } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { getHeader, getLowerCaseHeader } from '../core/headers.js';
import { checkTimestamp, nowSeconds, parseUnixSeconds } from '../core/timestamp.js';
import type { BodyLike, HeadersLike, ReceiveResult } from '../core/types.js';
import type { SignedPart } from '../crypto/hmac.js';
import type { SignatureCheck } from './signature-check.js';
import { signatureList, type SignatureEntry, type SignatureHeaderFormat } from './signature-header.js';
import type { ParsedDelivery, Provider, SignInput, SignedRequest, VerifiedDelivery, VerifyInput } from './types.js';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** What a scheme signs, given the pieces of one delivery. */
export interface SignedContentContext {
  /** The id header's value, exactly as received (Standard Webhooks signs it). */
  id?: string;
  /** The timestamp exactly as received (header text, not a re-formatted number). */
  timestamp?: string;
  body: Uint8Array;
  method?: string;
  url?: string;
  headers: HeadersLike;
}

export type SignedContent = (context: SignedContentContext) => readonly SignedPart[];

/** The body alone, as most HMAC senders sign it; `defineProvider` recognises it and skips building a context. */
export const signedBodyOnly: SignedContent = ({ body }) => [body];

/** Finds something (the id, the type) in a decoded payload or the headers. */
export type Locator = (payload: unknown, headers: HeadersLike) => string | undefined;

/** What `locateTimestamp` is given: the verified bytes, and their decoded payload on demand (decoded once, reused by `parse`). */
export interface TimestampContext {
  rawBody: Uint8Array;
  headers: HeadersLike;
  /** The body decoded as the scheme's format; throws `invalid_body`. */
  payload(): unknown;
}

/** Everything that makes one sender's scheme: the lowest-level builder, used by `hmac`, `ed25519` and the presets. */
export interface ProviderSpec {
  name: string;
  signatureHeader: string;
  signatureFormat: SignatureHeaderFormat;
  checks: readonly SignatureCheck[];
  signedContent: SignedContent;
  /**
   * Other contents the sender may have signed for the same delivery, tried when `signedContent`
   * does not match (Twilio: the URL with and without its default port). `sign` uses `signedContent`.
   */
  alternativeContents?: (signed: readonly SignedPart[], context: SignedContentContext) => readonly (readonly SignedPart[])[];
  /** A header of its own holding the signed timestamp (Slack, Discord, Standard Webhooks). */
  timestampHeader?: string;
  /**
   * Reads the timestamp text (from `timestampHeader` or the signature header) as unix seconds;
   * default: ASCII-digit unix seconds. Throws `malformed_header` for anything else
   * (`parseUnixMilliseconds` for HubSpot, `parseRfc3339` for Twitch and Zendesk).
   */
  parseTimestamp?: (text: string, headerName: string) => number;
  /** Writes unix seconds as the sender writes its timestamp, for `sign`; default `String(seconds)`. */
  formatTimestamp?: (seconds: number) => string;
  /**
   * A signed timestamp that lives in the body (Linear's `webhookTimestamp`): read only after the
   * signature matched, then checked against the window like a header timestamp. Returns unix
   * seconds; throws `invalid_body` when the body lacks a usable one.
   */
  locateTimestamp?: (context: TimestampContext) => number;
  /** Header holding the delivery id. */
  idHeader?: string;
  /** The id header is part of the signed content, so its absence is `missing_header`. */
  idSigned?: boolean;
  /** Header holding the event type (GitHub, Shopify); written by `sign` from `SignInput.type`. */
  typeHeader?: string;
  /** Replay window for schemes that sign a timestamp. Default 300; must be > 0 (`Infinity` disables explicitly). */
  toleranceSeconds?: number;
  maxBodyBytes?: number;
  bodyFormat?: BodyFormat;
  /** Where the id lives when it is not in `idHeader`. */
  locateId?: Locator;
  /** Where the type lives when it is not in `typeHeader`. */
  locateType?: Locator;
  /** Less specific types for a delivery (GitHub `issues` for `issues.opened`). */
  parentTypes?: (type: string) => readonly string[];
  /** Overrides how the type is found from the payload and headers (GitHub `event.action`). */
  describe?: (payload: unknown, headers: HeadersLike) => Pick<ParsedDelivery, 'type' | 'parentTypes'>;
  handshake?: (parsed: ParsedDelivery, verified: VerifiedDelivery) => ReceiveResult | undefined;
  /** Which deliveries take a handler's plain return value as the reply (`ParsedDelivery.expectsReply`); default none. */
  expectsReply?: (payload: unknown, headers: HeadersLike) => boolean;
  /** The answer the sender requires whatever the handlers return (Discord webhook events: 204). */
  acknowledge?: (parsed: ParsedDelivery) => ReceiveResult | undefined;
  /** Extra headers `sign` writes (a content type, a default event name). */
  signHeaders?: (input: SignInput) => Record<string, string>;
  /**
   * The body `sign` signs and returns, where the sender stamps something into it (Linear adds
   * `webhookTimestamp`); given the unix-seconds timestamp being signed. Default: the body as given.
   */
  signBody?: (input: SignInput, timestamp: number) => BodyLike;
  /** The id `sign` puts in `idHeader` when `SignInput.id` is absent; default `msg_<random hex>` (GitHub and Shopify use a bare UUID). */
  newId?: () => string;
}

/** Validates a tolerance at construction: a `0` that would silently disable or break the window is refused. */
export function validTolerance(value: number | undefined, option = 'toleranceSeconds'): number {
  if (value === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw new WebhookError('misconfigured', `\`${option}\` must be a number of seconds > 0 (use Infinity to turn the replay check off explicitly); got ${String(value)}.`);
  }
  return value;
}

/**
 * Builds a provider from a scheme description. Keys are already imported inside `checks`;
 * everything per-request is header lookups, one HMAC per key, and constant-time compares.
 *
 * @example
 * const provider = defineProvider({ name: 'acme', signatureHeader: 'x-acme-signature',
 *   signatureFormat: prefixedSignature('sha256='), checks: [hmacCheck({ keys, algorithm: 'sha256', encoding: 'hex' })],
 *   signedContent: ({ body }) => [body] });
 */
export function defineProvider(spec: ProviderSpec): Provider {
  if (spec.checks.length === 0) {
    throw new WebhookError('misconfigured', `The ${spec.name} provider needs a secret or a public key to verify with.`);
  }
  const signsTimestamp = spec.timestampHeader !== undefined || spec.signatureFormat.carriesTimestamp || spec.locateTimestamp !== undefined;
  const tolerance = signsTimestamp ? validTolerance(spec.toleranceSeconds) : undefined;
  const bodyFormat = spec.bodyFormat ?? 'json';
  const parseTimestamp = spec.parseTimestamp ?? parseUnixSeconds;
  const formatTimestamp = spec.formatTimestamp ?? String;
  /** Payloads decoded while verifying (a body timestamp), keyed by the delivery `verify` returned, so `parse` does not decode twice. */
  const decoded = new WeakMap<VerifiedDelivery, unknown>();

  function decode(rawBody: Uint8Array, headers: HeadersLike): unknown {
    return decodeBody(rawBody, bodyFormat);
  }

  // Everything `verify` reads per request is settled here, once: lower-cased header names (each
  // lookup is then one property read on Node's headers object) and the spec's fields as
  // constants of this closure rather than property loads on `spec`.
  const { signatureHeader, signatureFormat, timestampHeader, idHeader, idSigned, alternativeContents, locateTimestamp } = spec;
  const signatureName = signatureHeader.toLowerCase();
  const timestampName = timestampHeader?.toLowerCase();
  const idName = idHeader?.toLowerCase();
  // The body alone is signed, with nothing else to try (GitHub, Shopify, most HMAC senders): no
  // context to build, and the id header is read here only when it is signed.
  const bodyOnly = spec.signedContent === signedBodyOnly && alternativeContents === undefined;
  const readsId = idName !== undefined && (idSigned === true || !bodyOnly);

  // With one check, the signatures it reads are collected straight into one array: no entry
  // objects, no filtering by version.
  const only = spec.checks.length === 1 ? spec.checks[0] : undefined;
  const collects = only !== undefined && signatureFormat.collect !== undefined;

  function verify(input: VerifyInput): VerifiedDelivery {
    const { headers } = input;
    const signatureText = requireHeader(headers, signatureName, signatureHeader);
    let entries: readonly SignatureEntry[] | string[];
    let headerTimestamp: string | undefined;
    if (collects) {
      const found = signatureList<string>();
      headerTimestamp = signatureFormat.collect?.(signatureText, signatureHeader, (only as SignatureCheck).version, found);
      entries = found;
    } else {
      const parsed = signatureFormat.parse(signatureText, signatureHeader);
      headerTimestamp = parsed.timestamp;
      entries = parsed.entries;
    }

    let timestampText: string | undefined;
    let timestamp: number | undefined;
    if (timestampHeader !== undefined) {
      timestampText = requireHeader(headers, timestampName as string, timestampHeader);
      timestamp = parseTimestamp(timestampText, timestampHeader);
    } else if (headerTimestamp !== undefined) {
      timestampText = headerTimestamp;
      timestamp = parseTimestamp(timestampText, signatureHeader);
    }
    const id = !readsId ? undefined : idSigned ? requireHeader(headers, idName as string, idHeader as string) : getLowerCaseHeader(headers, idName as string);

    const rawBody = bodyBytes(input.body);
    let matched: boolean;
    if (bodyOnly) {
      matched = matches([rawBody], entries);
    } else {
      const context: SignedContentContext = { id, timestamp: timestampText, body: rawBody, method: input.method, url: input.url, headers };
      const parts = spec.signedContent(context);
      matched = matches(parts, entries) || (alternativeContents !== undefined && matchesAlternative(alternativeContents, parts, context, entries));
    }
    if (!matched) {
      throw new WebhookError('signature_mismatch', `No signature in the ${signatureHeader} header matches: check the ${spec.name} secret, and that the body reaches hookguard unmodified (no JSON parser before it).`);
    }
    let payload: { value: unknown } | undefined;
    if (locateTimestamp !== undefined) {
      const located = bodyTimestamp(locateTimestamp, rawBody, headers);
      timestamp = located.timestamp;
      payload = located.payload;
    }
    if (timestamp !== undefined) {
      checkTimestamp(timestamp, input.now ?? nowSeconds(), input.toleranceSeconds ?? (tolerance as number));
    }
    const verified: VerifiedDelivery = { rawBody, headers };
    if (timestamp !== undefined) verified.timestamp = timestamp;
    if (input.method !== undefined) verified.method = input.method;
    if (input.url !== undefined) verified.url = input.url;
    if (payload !== undefined) decoded.set(verified, payload.value);
    return verified;
  }

  /** Whether a signature matches `parts`: `entries` from `parse`, or the candidates `collect` found for the one check. */
  function matches(parts: readonly SignedPart[], entries: readonly SignatureEntry[] | string[]): boolean {
    if (collects) return entries.length > 0 && (only as SignatureCheck).matches(parts, entries as string[]);
    return matchesAny(parts, entries as readonly SignatureEntry[]);
  }

  // The closures of the rare paths live in these helpers, not in `verify`: a closure there would
  // make `verify` allocate a context for its locals on every call, taken or not.
  function matchesAlternative(alternatives: NonNullable<ProviderSpec['alternativeContents']>, parts: readonly SignedPart[], context: SignedContentContext, entries: readonly SignatureEntry[] | string[]): boolean {
    return alternatives(parts, context).some((other) => matches(other, entries));
  }

  /** A timestamp in the body, read after the signature matched; the payload is decoded at most once, and kept for `parse`. */
  function bodyTimestamp(locate: NonNullable<ProviderSpec['locateTimestamp']>, rawBody: Uint8Array, headers: HeadersLike): { timestamp: number; payload?: { value: unknown } } {
    let payload: { value: unknown } | undefined;
    const timestamp = locate({ rawBody, headers, payload: () => (payload ??= { value: decode(rawBody, headers) }).value });
    return payload === undefined ? { timestamp } : { timestamp, payload };
  }

  function matchesAny(parts: readonly SignedPart[], entries: readonly SignatureEntry[]): boolean {
    for (const check of spec.checks) {
      // `[value]` first, not `[]` then push: the usual single signature must not allocate room for 17.
      let candidates: string[] | undefined;
      for (const entry of entries) {
        if (entry.version !== check.version) continue;
        if (candidates === undefined) candidates = [entry.value];
        else candidates.push(entry.value);
      }
      if (candidates !== undefined && check.matches(parts, candidates)) return true;
    }
    return false;
  }

  function parse(verified: VerifiedDelivery): ParsedDelivery {
    const payload = decoded.has(verified) ? decoded.get(verified) : decode(verified.rawBody, verified.headers);
    const parsed: ParsedDelivery = { payload };
    const id = (spec.idHeader !== undefined ? getHeader(verified.headers, spec.idHeader) : undefined) ?? spec.locateId?.(payload, verified.headers);
    if (id !== undefined && id !== '') parsed.id = id;
    if (spec.describe) {
      Object.assign(parsed, spec.describe(payload, verified.headers));
    } else {
      const type = (spec.typeHeader !== undefined ? getHeader(verified.headers, spec.typeHeader) : undefined) ?? spec.locateType?.(payload, verified.headers);
      if (type !== undefined && type !== '') {
        parsed.type = type;
        const parents = spec.parentTypes?.(type);
        if (parents && parents.length > 0) parsed.parentTypes = parents;
      }
    }
    if (spec.expectsReply?.(payload, verified.headers) === true) parsed.expectsReply = true;
    return parsed;
  }

  function sign(input: SignInput): SignedRequest {
    const signers = spec.checks.filter((check) => check.canSign);
    if (signers.length === 0) {
      throw new WebhookError('misconfigured', `The ${spec.name} provider cannot sign: pass \`privateKey\` (only the sender holds it; use generateEd25519KeyPair() in tests).`);
    }
    const seconds = input.timestamp ?? nowSeconds();
    const signedBody = spec.signBody ? spec.signBody(input, seconds) : input.body;
    const body = bodyBytes(signedBody);
    const timestamp = signsTimestamp ? formatTimestamp(seconds) : undefined;
    const id = spec.idHeader !== undefined ? (input.id ?? (spec.newId ?? defaultId)()) : input.id;
    const headers: Record<string, string> = {};
    const parts = spec.signedContent({ id, timestamp, body, method: input.method ?? 'POST', url: input.url, headers });
    const entries = signers.map((check) => ({ version: check.version, value: check.sign(parts) }));
    Object.assign(headers, spec.signHeaders?.(input));
    headers[spec.signatureHeader] = spec.signatureFormat.format(entries, timestamp);
    if (spec.timestampHeader !== undefined) headers[spec.timestampHeader] = timestamp as string;
    if (spec.idHeader !== undefined && id !== undefined) headers[spec.idHeader] = id;
    if (spec.typeHeader !== undefined && input.type !== undefined) headers[spec.typeHeader] = input.type;
    return { headers, body: signedBody };
  }

  const provider: Provider = { name: spec.name, verify, parse, sign };
  if (tolerance !== undefined) (provider as { toleranceSeconds?: number }).toleranceSeconds = tolerance;
  if (spec.maxBodyBytes !== undefined) (provider as { maxBodyBytes?: number }).maxBodyBytes = spec.maxBodyBytes;
  if (spec.handshake) provider.handshake = spec.handshake;
  if (spec.acknowledge) provider.acknowledge = spec.acknowledge;
  return provider;
}

function defaultId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

/** The header named `lowerCaseName`; absent or empty is `missing_header`, reported as `name`. */
function requireHeader(headers: HeadersLike, lowerCaseName: string, name: string): string {
  const value = getLowerCaseHeader(headers, lowerCaseName);
  if (value === undefined || value === '') {
    throw new WebhookError('missing_header', `The ${name} header is missing.`);
  }
  return value;
}
