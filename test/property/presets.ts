/**
 * One entry per key of `providers`: how to build that preset twice (our secret, and a
 * stranger's) and where its scheme keeps the signature, the timestamp and a signed id. The
 * property tests iterate over `providers` at run time and FAIL for a preset with no entry here,
 * so a new preset is never silently skipped: add one line (most are a `scheme(...)` call).
 */
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { providers } from '../../src/providers/index.js';
import { keyValueSignatureList } from '../../src/providers/signature-header.js';
import type { Provider } from '../../src/providers/types.js';
import type { BodyLike } from '../../src/core/types.js';
import type { Encoding } from '../../src/core/encoding.js';
import { generateEd25519KeyPair } from '../../src/testing/index.js';
import { formBodies } from './form-bodies.js';
import { formatRfc3339, formatUnixMilliseconds } from '../../src/core/timestamp.js';

/** Key material for one party; `a` is ours, `b` a stranger's. */
export interface Keys {
  /** A plain text secret (Stripe, GitHub, Slack, Shopify, generic HMAC). */
  text: string;
  /** A Standard Webhooks `whsec_<base64>` secret. */
  whsec: string;
  /** `whpk_…` / `whsk_…` Ed25519 key pair. */
  publicKey: string;
  privateKey: string;
  /** An ECDSA P-256 key pair (SendGrid, generic ecdsa). */
  ecPublic: KeyObject;
  ecPrivate: KeyObject;
}

function keys(byte: number, label: string): Keys {
  const pair = generateEd25519KeyPair(new Uint8Array(32).fill(byte));
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    text: `hookguard-property-${label}-secret`,
    whsec: `whsec_${Buffer.alloc(32, byte).toString('base64')}`,
    ...pair,
    ecPublic: ec.publicKey,
    ecPrivate: ec.privateKey,
  };
}

export const OURS = keys(0x11, 'ours');
export const THEIRS = keys(0x22, 'theirs');

/** Where a scheme carries what it signs, as the mutation tests need to know it. */
export interface Scheme {
  /** The signature header (lower-case). */
  signature: string;
  /** How each signature is encoded in it; `text` for a static token sent as is (GitLab). */
  encoding: Encoding | 'text';
  /** Finds the (first) encoded signature in the header value: group 1. */
  pattern: RegExp;
  /** A timestamp header of its own. */
  timestamp?: string;
  /** Or the key of a timestamp carried inside the signature header (Stripe `t`, Paddle `ts`). */
  timestampKey?: string;
  /** Or a `webhookTimestamp` (unix ms) field of the JSON body (Linear). */
  timestampInBody?: boolean;
  /** How the scheme writes a timestamp; default unix seconds. */
  formatTimestamp?: (seconds: number) => string;
  /** An id header that is part of the signed content (Standard Webhooks). */
  signedId?: string;
  /** Bodies this scheme can sign; default: any bytes, unicode, JSON, empty. */
  bodies?: fc.Arbitrary<BodyLike>;
  /**
   * The scheme signs a decoded form of the body rather than its bytes (Twilio: the sorted form
   * fields), so a different body is "the same delivery" when `parse` gives the handler the same
   * payload and type; default: only the same bytes are.
   */
  signsDecodedBody?: boolean;
  /** The request URL (Twilio: its query; HubSpot: all of it) and, for HubSpot, the method are signed. */
  signsUrl?: boolean;
  signsMethod?: boolean;
  /**
   * The scheme authenticates the sender with a static token and signs nothing of the body
   * (GitLab): body mutations are out of its reach, and so are left out of its properties.
   */
  bodyUnsigned?: boolean;
}

/** True when the scheme signs a timestamp, wherever it carries it. */
export function isTimed(scheme: Scheme): boolean {
  return scheme.timestamp !== undefined || scheme.timestampKey !== undefined || scheme.timestampInBody === true;
}

export interface Variant extends Scheme {
  label: string;
  /** Signs and verifies with OURS. */
  provider: Provider;
  /** The same scheme keyed with THEIRS. */
  stranger: Provider;
}

type Make = (k: Keys) => Provider;

/** One variant: `make` is called with our keys and with a stranger's. */
function scheme(label: string, make: Make, description: Scheme): Variant {
  return { label, provider: make(OURS), stranger: make(THEIRS), ...description };
}

const hex = (prefix = ''): Pick<Scheme, 'encoding' | 'pattern'> => ({ encoding: 'hex', pattern: new RegExp(`^${prefix}([0-9a-fA-F]+)$`) });
const b64 = (prefix = ''): Pick<Scheme, 'encoding' | 'pattern'> => ({ encoding: 'base64', pattern: new RegExp(`^${prefix}([A-Za-z0-9+/=]+)$`) });

/** Standard Webhooks and every Svix-based preset: `v1,<b64>` (or `v1a`) over `${id}.${ts}.${body}`. */
function standard(prefix: 'webhook' | 'svix', version = 'v1'): Scheme {
  return {
    signature: `${prefix}-signature`,
    encoding: 'base64',
    pattern: new RegExp(`${version},([A-Za-z0-9+/=]+)`),
    timestamp: `${prefix}-timestamp`,
    signedId: `${prefix}-id`,
  };
}

/**
 * preset name → its variants. The generic builders (`hmac`, `ed25519`) are exercised through
 * configurations that cover their knobs (timestamp and signed id, list formats, encodings).
 */
export const PRESETS: Record<string, () => Variant[]> = {
  standardWebhooks: () => [
    scheme('standardWebhooks v1 (HMAC)', (k) => providers.standardWebhooks({ secret: k.whsec }), standard('webhook')),
    scheme('standardWebhooks v1a (Ed25519)', (k) => providers.standardWebhooks({ publicKey: k.publicKey, privateKey: k.privateKey }), standard('webhook', 'v1a')),
    scheme('standardWebhooks headerPrefix svix', (k) => providers.standardWebhooks({ secret: k.whsec, headerPrefix: 'svix' }), standard('svix')),
  ],
  stripe: () => [
    scheme('stripe', (k) => providers.stripe({ secret: k.text }), { signature: 'stripe-signature', encoding: 'hex', pattern: /v1=([0-9a-f]+)/, timestampKey: 't' }),
  ],
  github: () => [
    scheme('github sha256', (k) => providers.github({ secret: k.text }), { signature: 'x-hub-signature-256', ...hex('sha256=') }),
    scheme('github sha1', (k) => providers.github({ secret: k.text, algorithm: 'sha1' }), { signature: 'x-hub-signature', ...hex('sha1=') }),
  ],
  slack: () => [
    scheme('slack', (k) => providers.slack({ signingSecret: k.text }), { signature: 'x-slack-signature', ...hex('v0='), timestamp: 'x-slack-request-timestamp' }),
  ],
  shopify: () => [scheme('shopify', (k) => providers.shopify({ secret: k.text }), { signature: 'x-shopify-hmac-sha256', ...b64() })],
  twilio: () => [
    scheme('twilio (form and JSON+bodySHA256)', (k) => providers.twilio({ authToken: k.text, url: 'https://hooks.example.test/twilio' }), {
      signature: 'x-twilio-signature',
      ...b64(),
      bodies: twilioBodies(),
      signsDecodedBody: true,
      signsUrl: true,
    }),
  ],
  paddle: () => [
    scheme('paddle', (k) => providers.paddle({ secret: k.text }), { signature: 'paddle-signature', encoding: 'hex', pattern: /h1=([0-9a-f]+)/, timestampKey: 'ts' }),
  ],
  sendgrid: () => [
    scheme('sendgrid (ECDSA P-256 DER)', (k) => providers.sendgrid({ publicKey: k.ecPublic, privateKey: k.ecPrivate }), {
      signature: 'x-twilio-email-event-webhook-signature',
      ...b64(),
      timestamp: 'x-twilio-email-event-webhook-timestamp',
    }),
  ],
  linear: () => [
    scheme('linear (webhookTimestamp in the body)', (k) => providers.linear({ secret: k.text }), { signature: 'linear-signature', ...hex(), timestampInBody: true, bodies: jsonObjects() }),
  ],
  mux: () => [scheme('mux', (k) => providers.mux({ secret: k.text }), { signature: 'mux-signature', encoding: 'hex', pattern: /v1=([0-9a-f]+)/, timestampKey: 't' })],
  twitch: () => [
    scheme('twitch (RFC 3339 timestamp, signed id)', (k) => providers.twitch({ secret: k.text }), {
      signature: 'twitch-eventsub-message-signature',
      ...hex('sha256='),
      timestamp: 'twitch-eventsub-message-timestamp',
      formatTimestamp: formatRfc3339,
      signedId: 'twitch-eventsub-message-id',
    }),
  ],
  square: () => [
    scheme('square (signs the notification URL)', (k) => providers.square({ signatureKey: k.text, notificationUrl: 'https://hooks.example.test/square' }), {
      signature: 'x-square-hmacsha256-signature',
      ...b64(),
    }),
  ],
  zendesk: () => [
    scheme('zendesk (RFC 3339 timestamp)', (k) => providers.zendesk({ secret: k.text }), {
      signature: 'x-zendesk-webhook-signature',
      ...b64(),
      timestamp: 'x-zendesk-webhook-signature-timestamp',
      formatTimestamp: formatRfc3339,
    }),
  ],
  typeform: () => [scheme('typeform', (k) => providers.typeform({ secret: k.text }), { signature: 'typeform-signature', ...b64('sha256=') })],
  lemonSqueezy: () => [scheme('lemonSqueezy', (k) => providers.lemonSqueezy({ secret: k.text }), { signature: 'x-signature', ...hex() })],
  hubspot: () => [
    scheme('hubspot v3 (method, URL, ms timestamp)', (k) => providers.hubspot({ clientSecret: k.text }), {
      signature: 'x-hubspot-signature-v3',
      ...b64(),
      timestamp: 'x-hubspot-request-timestamp',
      formatTimestamp: formatUnixMilliseconds,
      signsUrl: true,
      signsMethod: true,
    }),
  ],
  intercom: () => [scheme('intercom', (k) => providers.intercom({ clientSecret: k.text }), { signature: 'x-hub-signature', ...hex('sha1=') })],
  gitlab: () => [
    scheme('gitlab (static token, body not signed)', (k) => providers.gitlab({ token: k.text }), {
      signature: 'x-gitlab-token',
      encoding: 'text',
      pattern: /^(.+)$/,
      bodyUnsigned: true,
    }),
  ],
  zoom: () => [
    scheme('zoom', (k) => providers.zoom({ secretToken: k.text }), { signature: 'x-zm-signature', ...hex('v0='), timestamp: 'x-zm-request-timestamp' }),
  ],
  svix: () => [scheme('svix', (k) => providers.svix({ secret: k.whsec }), standard('svix'))],
  clerk: () => [scheme('clerk', (k) => providers.clerk({ secret: k.whsec }), standard('svix'))],
  resend: () => [scheme('resend', (k) => providers.resend({ secret: k.whsec }), standard('svix'))],
  ecdsa: () => [
    scheme(
      'ecdsa ieee-p1363 hex, timestamp header',
      (k) =>
        providers.ecdsa({
          publicKey: k.ecPublic,
          privateKey: k.ecPrivate,
          dsaEncoding: 'ieee-p1363',
          encoding: 'hex',
          signatureHeader: 'x-ec-signature',
          timestampHeader: 'x-ec-timestamp',
          signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
        }),
      { signature: 'x-ec-signature', ...hex(), timestamp: 'x-ec-timestamp' },
    ),
  ],
  discord: () => [
    scheme('discord', (k) => providers.discord({ publicKey: k.publicKey, privateKey: k.privateKey }), {
      signature: 'x-signature-ed25519',
      ...hex(),
      timestamp: 'x-signature-timestamp',
    }),
  ],
  hmac: () => [
    scheme(
      'hmac sha256 hex, timestamp + signed id headers',
      (k) =>
        providers.hmac({
          secret: k.text,
          signatureHeader: 'x-acme-signature',
          signaturePrefix: 'sha256=',
          timestampHeader: 'x-acme-timestamp',
          idHeader: 'x-acme-id',
          idSigned: true,
          signedContent: ({ id, timestamp, body }) => [`${id}.${timestamp}.`, body],
        }),
      { signature: 'x-acme-signature', ...hex('sha256='), timestamp: 'x-acme-timestamp', signedId: 'x-acme-id' },
    ),
    scheme(
      'hmac sha512 base64url, body only',
      (k) => providers.hmac({ secret: k.text, algorithm: 'sha512', encoding: 'base64url', signatureHeader: 'x-body-mac' }),
      { signature: 'x-body-mac', encoding: 'base64url', pattern: /^([A-Za-z0-9_-]+)$/ },
    ),
    scheme(
      'hmac sha1 base64, ts=…;h1=… list',
      (k) =>
        providers.hmac({
          secret: k.text,
          algorithm: 'sha1',
          encoding: 'base64',
          signatureHeader: 'x-list-signature',
          signatureFormat: keyValueSignatureList('ts', ';'),
          signatureVersion: 'h1',
          signedContent: ({ timestamp, body }) => [`${timestamp}:`, body],
        }),
      { signature: 'x-list-signature', encoding: 'base64', pattern: /h1=([A-Za-z0-9+/=]+)/, timestampKey: 'ts' },
    ),
  ],
  ed25519: () => [
    scheme(
      'ed25519 base64, prefixed, timestamp header',
      (k) =>
        providers.ed25519({
          publicKey: k.publicKey,
          privateKey: k.privateKey,
          encoding: 'base64',
          signatureHeader: 'x-ed-signature',
          signaturePrefix: 'ed25519=',
          timestampHeader: 'x-ed-timestamp',
          signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
        }),
      { signature: 'x-ed-signature', ...b64('ed25519='), timestamp: 'x-ed-timestamp' },
    ),
  ],
};

/**
 * Twilio signs the form fields (or, for JSON, a SHA-256 of the body carried in the URL): bodies
 * are forms — repeated names, `+` and `%20`, upper- and lower-case escapes, non-ASCII — or JSON.
 */
function twilioBodies(): fc.Arbitrary<BodyLike> {
  return fc.oneof(formBodies, fc.json({ maxDepth: 2 }).filter((json) => /^\s*[{[]/.test(json)));
}

/** JSON objects (Linear stamps `webhookTimestamp` into the body it signs). */
function jsonObjects(): fc.Arbitrary<BodyLike> {
  return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((object) => {
    const { webhookTimestamp: _, ...rest } = object;
    return JSON.stringify(rest);
  });
}

/** Every registered preset's variants, or the names of presets that have no entry above. */
export function presetVariants(): { variants: { preset: string; variant: Variant }[]; missing: string[] } {
  const variants: { preset: string; variant: Variant }[] = [];
  const missing: string[] = [];
  for (const preset of Object.keys(providers)) {
    const make = PRESETS[preset];
    if (make === undefined) missing.push(preset);
    else for (const variant of make()) variants.push({ preset, variant });
  }
  return { variants, missing };
}
