import { Buffer } from 'node:buffer';
import { providers } from '../providers/index.js';
import type { Provider } from '../providers/types.js';
import { generateEd25519KeyPair } from '../testing/index.js';
import { UsageError } from './usage-error.js';

/** What the command line knows: the keys and, for URL-signing senders, the public URL. */
export interface PresetKeys {
  /** Text as typed; bytes when `explain` tries a secret decoded another way. */
  secrets: Array<string | Uint8Array>;
  publicKeys: string[];
  privateKey?: string;
  /** The public URL the sender signs (Twilio, HubSpot) or the Square notification URL. */
  url?: string;
}

export interface PresetInfo {
  name: string;
  /** The option the preset takes its shared secret as (`secret`, `signingSecret`, …); undefined for key-pair schemes. */
  secretOption?: string;
  /** Ed25519 (or ECDSA) presets verify with `--public-key` and sign with `--private-key`. */
  keyPair?: 'ed25519' | 'ecdsa';
  /** The header that carries the signature: how `explain` spots a delivery meant for another preset. */
  signatureHeader: string;
  /** The preset signs a timestamp (so `--stale` and the replay window apply). */
  timestamped: boolean;
  /** The sender signs the request URL. */
  signsUrl?: 'request' | 'notification';
  build(keys: PresetKeys): Provider;
}

const shared = (name: string, secretOption: string, signatureHeader: string, timestamped: boolean, factory: (options: Record<string, unknown>) => Provider): PresetInfo => ({
  name,
  secretOption,
  signatureHeader,
  timestamped,
  build: (keys) => factory({ [secretOption]: requireSecrets(name, keys) }),
});

/** Every preset the CLI can sign and verify, by the name users type. */
export const PRESETS: readonly PresetInfo[] = [
  {
    name: 'standard-webhooks',
    secretOption: 'secret',
    signatureHeader: 'webhook-signature',
    timestamped: true,
    build: (keys) => providers.standardWebhooks(keyPairOrSecret('standard-webhooks', keys)),
  },
  shared('svix', 'secret', 'svix-signature', true, (o) => providers.svix(o as never)),
  shared('clerk', 'secret', 'svix-signature', true, (o) => providers.clerk(o as never)),
  shared('resend', 'secret', 'svix-signature', true, (o) => providers.resend(o as never)),
  shared('stripe', 'secret', 'stripe-signature', true, (o) => providers.stripe(o as never)),
  shared('github', 'secret', 'x-hub-signature-256', false, (o) => providers.github(o as never)),
  shared('slack', 'signingSecret', 'x-slack-signature', true, (o) => providers.slack(o as never)),
  shared('shopify', 'secret', 'x-shopify-hmac-sha256', false, (o) => providers.shopify(o as never)),
  {
    name: 'discord',
    keyPair: 'ed25519',
    signatureHeader: 'x-signature-ed25519',
    timestamped: true,
    build: (keys) => providers.discord(ed25519Keys('discord', keys)),
  },
  {
    name: 'twilio',
    secretOption: 'authToken',
    signatureHeader: 'x-twilio-signature',
    timestamped: false,
    signsUrl: 'request',
    build: (keys) => providers.twilio({ authToken: requireSecrets('twilio', keys), ...(keys.url !== undefined ? { url: baseOf(keys.url) } : {}) }),
  },
  {
    name: 'hubspot',
    secretOption: 'clientSecret',
    signatureHeader: 'x-hubspot-signature-v3',
    timestamped: true,
    signsUrl: 'request',
    build: (keys) => providers.hubspot({ clientSecret: requireSecrets('hubspot', keys), ...(keys.url !== undefined ? { url: baseOf(keys.url) } : {}) }),
  },
  {
    name: 'square',
    secretOption: 'signatureKey',
    signatureHeader: 'x-square-hmacsha256-signature',
    timestamped: false,
    signsUrl: 'notification',
    build: (keys) => {
      if (keys.url === undefined) throw new UsageError('square signs its notification URL: pass --notification-url https://… (as set in the Developer Console).');
      return providers.square({ signatureKey: requireSecrets('square', keys), notificationUrl: keys.url });
    },
  },
  shared('paddle', 'secret', 'paddle-signature', true, (o) => providers.paddle(o as never)),
  shared('linear', 'secret', 'linear-signature', true, (o) => providers.linear(o as never)),
  shared('mux', 'secret', 'mux-signature', true, (o) => providers.mux(o as never)),
  shared('twitch', 'secret', 'twitch-eventsub-message-signature', true, (o) => providers.twitch(o as never)),
  shared('zendesk', 'secret', 'x-zendesk-webhook-signature', true, (o) => providers.zendesk(o as never)),
  shared('typeform', 'secret', 'typeform-signature', false, (o) => providers.typeform(o as never)),
  shared('lemon-squeezy', 'secret', 'x-signature', false, (o) => providers.lemonSqueezy(o as never)),
  shared('intercom', 'clientSecret', 'x-hub-signature', false, (o) => providers.intercom(o as never)),
  shared('gitlab', 'token', 'x-gitlab-token', false, (o) => providers.gitlab(o as never)),
  shared('zoom', 'secretToken', 'x-zm-signature', true, (o) => providers.zoom(o as never)),
  {
    name: 'sendgrid',
    keyPair: 'ecdsa',
    signatureHeader: 'x-twilio-email-event-webhook-signature',
    timestamped: true,
    build: (keys) => {
      if (keys.publicKeys.length === 0) throw new UsageError('sendgrid verifies with --public-key (the verification key from the Mail Settings page).');
      return providers.sendgrid({ publicKey: keys.publicKeys, ...(keys.privateKey !== undefined ? { privateKey: keys.privateKey } : {}) });
    },
  },
];

export function presetNamed(name: string | undefined): PresetInfo {
  if (name === undefined || name === '') throw new UsageError(`Name a preset: ${PRESETS.map((p) => p.name).join(', ')}.`);
  const preset = PRESETS.find((p) => p.name === name.toLowerCase());
  if (preset === undefined) throw new UsageError(`Unknown preset ${JSON.stringify(name)}. Presets: ${PRESETS.map((p) => p.name).join(', ')}.`);
  return preset;
}

function requireSecrets(name: string, keys: PresetKeys): Array<string | Uint8Array> {
  if (keys.secrets.length === 0) throw new UsageError(`${name} needs --secret (the signing secret from the sender's dashboard).`);
  return keys.secrets;
}

/** Standard Webhooks signs v1 (HMAC, --secret) or v1a (Ed25519, --private-key / --public-key). */
function keyPairOrSecret(name: string, keys: PresetKeys): Record<string, unknown> {
  if (keys.secrets.length > 0) return { secret: keys.secrets };
  return ed25519Keys(name, keys);
}

/** A private key alone is enough: its public key is derived, so `trigger` needs one flag. */
function ed25519Keys(name: string, keys: PresetKeys): { publicKey: string[]; privateKey?: string } {
  const publicKey = [...keys.publicKeys];
  if (keys.privateKey !== undefined) publicKey.push(generateEd25519KeyPair(seedOf(keys.privateKey)).publicKey);
  if (publicKey.length === 0) throw new UsageError(`${name} signs with Ed25519: pass --public-key to verify, or --private-key (whsk_… or 64 hex) to sign.`);
  return { publicKey, ...(keys.privateKey !== undefined ? { privateKey: keys.privateKey } : {}) };
}

function seedOf(privateKey: string): Uint8Array {
  const bytes = /^[0-9a-f]{64}$/i.test(privateKey) ? Buffer.from(privateKey, 'hex') : Buffer.from(privateKey.replace(/^whsk_/, ''), 'base64');
  if (bytes.byteLength !== 32) throw new UsageError('--private-key must be a 32-byte Ed25519 seed: whsk_<base64> or 64 hex characters.');
  return bytes;
}

/** The `url` option of Twilio/HubSpot is a base without a query; the query received is appended. */
function baseOf(url: string): string {
  return url.split('?')[0] as string;
}
