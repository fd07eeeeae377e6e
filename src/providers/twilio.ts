import { createHash } from 'node:crypto';
import { looksLikeJson as textLooksLikeJson, pickString } from '../core/body.js';
import { bodyBytes, decode, toBuffer } from '../core/encoding.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { timingSafeEqual } from '../core/timing-safe-equal.js';
import type { SignedPart } from '../crypto/hmac.js';
import type { SecretInput } from '../crypto/keys.js';
import { hmac } from './hmac.js';
import { publicUrl, toggleDefaultPort, validatePublicUrlOption, type PublicUrlOptions } from './public-url.js';
import type { ParsedDelivery, Provider, SignInput, VerifiedDelivery } from './types.js';

export interface TwilioOptions extends PublicUrlOptions {
  /** The account's Auth Token (Console → Account info); an array while rotating to a secondary token. */
  authToken: SecretInput | readonly SecretInput[];
}

/**
 * Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1>` over the public URL followed by the form
 * parameters sorted by name, each as name + value (decoded, `+` read as a space). A JSON body
 * is signed through the URL instead: Twilio appends `bodySHA256=<hex SHA-256 of the body>`,
 * and the HMAC covers the URL alone. The URL is accepted with and without its default port.
 * No timestamp is signed: replays are stopped by dedupe on `I-Twilio-Idempotency-Token`.
 * The type is `message.<MessageStatus|SmsStatus>` or `call.<CallStatus>` (parents `message`, `call`),
 * and `type`/`event_type` for JSON bodies.
 *
 * @example
 * providers.twilio({ authToken: process.env.TWILIO_AUTH_TOKEN! });                      // https:// + Host + path
 * providers.twilio({ authToken, trustProxy: true });                                     // behind a proxy: X-Forwarded-Proto/-Host
 * providers.twilio({ authToken, url: 'https://api.example.com/twilio/sms' });           // the URL set in the Console
 */
export function twilio(options: TwilioOptions): Provider {
  const urlOptions: PublicUrlOptions = { url: options?.url, trustProxy: options?.trustProxy === true };
  validatePublicUrlOption(urlOptions.url, 'twilio()');
  const inner = hmac({
    name: 'twilio',
    secret: options?.authToken,
    secretOption: 'authToken',
    algorithm: 'sha1',
    encoding: 'base64',
    signatureHeader: 'x-twilio-signature',
    idHeader: 'i-twilio-idempotency-token',
    bodyFormat: 'auto',
    signedContent: ({ url, body }) => signedContent(url as string, body),
    alternativeContents: ([url, ...rest]) => otherUrls(url as string).map((other) => [other, ...rest]),
    describe: describeTwilio,
    signHeaders: (input) => ({ 'content-type': looksLikeJson(input.body) ? 'application/json' : 'application/x-www-form-urlencoded' }),
  });
  return {
    ...inner,
    verify(input) {
      const url = publicUrl(input, urlOptions, 'twilio');
      let verified: VerifiedDelivery;
      try {
        verified = inner.verify({ ...input, url });
      } catch (error) {
        throw withUrlHint(error, url, urlOptions);
      }
      if (input.url === undefined) delete verified.url;
      else verified.url = input.url;
      return verified;
    },
    parse(verified) {
      const parsed = inner.parse(verified);
      return signedFieldsOnly(parsed, verified.rawBody);
    },
    sign(input) {
      const url = signUrl(input, urlOptions);
      return { ...inner.sign({ ...input, url }), url };
    },
  };
}

/**
 * Twilio signs the sorted set of a repeated field's values, not their order, so a payload that
 * kept only the last one would let anyone who reorders the body choose among them (property
 * tests, #6). A field repeated with different values becomes the sorted array of its distinct
 * values — exactly what was signed — and the type is found again from that payload.
 */
function signedFieldsOnly(parsed: ParsedDelivery, rawBody: Uint8Array): ParsedDelivery {
  // A JSON body (by its signed bytes, as core's decoder chose; never by Content-Type) has no form fields.
  const text = utf8Text(rawBody);
  if (textLooksLikeJson(text)) return parsed;
  const fields = fieldsOf(text);
  if (![...fields.values()].some((values) => values.size > 1)) return parsed;
  // Through a Map, as core's form decoder does: a field named `__proto__` stays an own field.
  const payload = Object.fromEntries([...fields].map(([name, values]) => [name, values.size === 1 ? [...values][0] : [...values].sort()]));
  const { type: _type, parentTypes: _parents, ...rest } = parsed;
  return { ...rest, payload, ...describeTwilio(payload) };
}

/**
 * The URL as Twilio may have signed it besides as received: with its default port toggled, and
 * with the query's `'` that a fetch Request rewrote as `%27` (WHATWG URL parsing in Bun, Deno,
 * Workers, Next.js) put back, since Twilio signs the URL unescaped.
 */
function otherUrls(url: string): string[] {
  const at = url.indexOf('?');
  const unescaped = at === -1 || !url.includes('%27', at) ? undefined : url.slice(0, at) + url.slice(at).replaceAll('%27', "'");
  const others = [toggleDefaultPort(url), unescaped, unescaped === undefined ? undefined : toggleDefaultPort(unescaped)];
  return others.filter((other): other is string => other !== undefined);
}

const BODY_CHANGED = 'The body does not match the bodySHA256 in the signed URL: it was changed on the way.';

/** A mismatch names what was signed here: the URL rebuilt (not secret), `authToken`, and the options that fix a proxy's URL. */
function withUrlHint(error: unknown, url: string, options: PublicUrlOptions): unknown {
  if (!isWebhookError(error) || error.code !== 'signature_mismatch' || error.message === BODY_CHANGED) return error;
  const how = options.url !== undefined ? 'from the `url` option' : options.trustProxy ? 'from X-Forwarded-Proto/-Host and the path' : 'as https:// + the Host header + the path';
  const fix = options.url !== undefined ? 'check that `url` is the URL set in the Twilio Console' : 'behind a proxy or load balancer, pass `trustProxy: true` (it must overwrite X-Forwarded-Proto/-Host) or `url` (the URL set in the Twilio Console)';
  return new WebhookError('signature_mismatch', `No X-Twilio-Signature matches the URL rebuilt ${how}, ${JSON.stringify(url)}, with this body: check the \`authToken\` option; ${fix}.`, { cause: error });
}

function signedContent(url: string, body: Uint8Array): SignedPart[] {
  const hash = bodyHashIn(url);
  if (hash === undefined) return [url, sortedParams(body)];
  if (!hashMatches(body, hash)) {
    throw new WebhookError('signature_mismatch', BODY_CHANGED);
  }
  return [url];
}

/** Name + value of every form field, sorted by name; a repeated name's distinct values sorted (as twilio-node and twilio-python do). */
function sortedParams(body: Uint8Array): string {
  const fields = formFields(body);
  let signed = '';
  for (const name of [...fields.keys()].sort()) for (const value of [...(fields.get(name) as Set<string>)].sort()) signed += name + value;
  return signed;
}

/** The decoded fields of a form body, each with the set of its values. */
function formFields(body: Uint8Array): Map<string, Set<string>> {
  return fieldsOf(utf8Text(body));
}

function utf8Text(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new WebhookError('invalid_body', 'The Twilio form body is not valid UTF-8.', { cause });
  }
}

function fieldsOf(text: string): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(text)) {
    const values = fields.get(name) ?? new Set<string>();
    fields.set(name, values.add(value));
  }
  return fields;
}

function bodyHashIn(url: string): string | undefined {
  const at = url.indexOf('?');
  if (at === -1) return undefined;
  return new URLSearchParams(url.slice(at + 1).split('#')[0]).get('bodySHA256') ?? undefined;
}

/** Constant-time: the hex in the URL against the SHA-256 of the bytes received. */
function hashMatches(body: Uint8Array, hex: string): boolean {
  const expected = decode(hex, 'hex');
  return expected !== undefined && timingSafeEqual(createHash('sha256').update(body).digest(), expected);
}

/** `sign`: the absolute URL (or the `url` option) and, for a JSON body, `bodySHA256` appended as Twilio does. */
function signUrl(input: SignInput, options: PublicUrlOptions): string {
  const base = typeof options.url === 'string' ? options.url : undefined;
  if (base === undefined && !/^https?:\/\//i.test(input.url ?? '')) {
    throw new WebhookError('misconfigured', 'twilio.sign() needs `url`: the absolute URL Twilio would call (https://…), or a string `url` option.');
  }
  let url = publicUrl({ url: input.url, headers: {} }, { url: base }, 'twilio.sign()');
  const body = bodyBytes(input.body);
  if (looksLikeJson(input.body) && bodyHashIn(url) === undefined) {
    url += `${url.includes('?') ? '&' : '?'}bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
  }
  const hash = bodyHashIn(url);
  if (hash !== undefined && !hashMatches(body, hash)) throw new WebhookError('misconfigured', 'twilio.sign(): the bodySHA256 in `url` is not the SHA-256 of the body.');
  return url;
}

function describeTwilio(payload: unknown): Pick<ParsedDelivery, 'type' | 'parentTypes'> {
  const kind = (pickString(payload, ['MessageSid']) ?? pickString(payload, ['SmsSid'])) !== undefined ? 'message' : pickString(payload, ['CallSid']) !== undefined ? 'call' : undefined;
  if (kind === undefined) {
    const type = pickString(payload, ['type']) ?? pickString(payload, ['event_type']);
    return type === undefined ? {} : { type };
  }
  const status = kind === 'message' ? (pickString(payload, ['MessageStatus']) ?? pickString(payload, ['SmsStatus'])) : pickString(payload, ['CallStatus']);
  return status === undefined || status === '' ? { type: kind } : { type: `${kind}.${status}`, parentTypes: [kind] };
}

function looksLikeJson(body: string | Uint8Array): boolean {
  const head = typeof body === 'string' ? body.slice(0, 64) : toBuffer(body.subarray(0, 64)).toString('latin1');
  const first = head.trimStart()[0];
  return first === '{' || first === '[';
}
