import { randomBytes, randomUUID } from 'node:crypto';
import type { Provider } from '../providers/types.js';
import { providers } from '../providers/index.js';

/** What a sender does around the signature: fresh ids in the payload, the headers it always sets, its JSON layout. */
export interface SenderProfile {
  /** Stripe sends pretty-printed JSON (2 spaces); the others send compact JSON. */
  indent?: number;
  freshen?(payload: Record<string, unknown>, now: number): void;
  headers?(context: { body: string | Uint8Array; type?: string; now: number; keys: { secrets: Array<string | Uint8Array> } }): Record<string, string>;
}

const alphanumeric = (length: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
};

const PROFILES: Readonly<Record<string, SenderProfile>> = {
  stripe: {
    indent: 2,
    freshen(payload, now) {
      payload.id = `evt_${alphanumeric(24)}`;
      payload.created = now;
      const request = payload.request as Record<string, unknown> | undefined;
      if (request?.id !== null && request !== undefined) request.id = `req_${alphanumeric(14)}`;
    },
    headers: () => ({ 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'cache-control': 'no-cache', accept: '*/*; q=0.5, application/xml' }),
  },
  github: {
    headers: ({ body, keys }) => ({
      'user-agent': 'GitHub-Hookshot/a1b2c3d',
      'x-github-hook-id': '512345678',
      'x-github-hook-installation-target-id': '1296269',
      'x-github-hook-installation-target-type': 'repository',
      // GitHub still sends the legacy SHA-1 signature next to the SHA-256 one.
      'x-hub-signature': legacyGitHubSignature(keys.secrets[0], body),
    }),
  },
  slack: {
    freshen(payload, now) {
      if (payload.type !== 'event_callback') return;
      payload.event_id = `Ev${alphanumeric(9).toUpperCase()}`;
      payload.event_time = now;
    },
    headers: () => ({ 'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)' }),
  },
  shopify: {
    headers: ({ now }) => ({
      'user-agent': 'Shopify-Captain-Hook',
      'x-shopify-shop-domain': 'hookguard-demo.myshopify.com',
      'x-shopify-api-version': '2025-10',
      'x-shopify-triggered-at': new Date(now * 1000).toISOString(),
      'x-shopify-event-id': randomUUID(),
    }),
  },
  discord: {
    freshen(payload) {
      if (typeof payload.id === 'string') payload.id = snowflake();
    },
    headers: () => ({ 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)' }),
  },
  'standard-webhooks': {
    freshen(payload, now) {
      if (typeof payload.timestamp === 'string') payload.timestamp = new Date(now * 1000).toISOString();
    },
  },
};

export function profileOf(preset: string): SenderProfile {
  return PROFILES[preset] ?? {};
}

function legacyGitHubSignature(secret: string | Uint8Array | undefined, body: string | Uint8Array): string {
  if (secret === undefined) return '';
  const sha1: Provider = providers.github({ secret, algorithm: 'sha1' });
  return sha1.sign({ body, type: 'ping' }).headers['x-hub-signature'] ?? '';
}

/** A Discord snowflake for now: milliseconds since 2015 shifted left 22 bits. */
function snowflake(): string {
  return ((BigInt(Date.now()) - 1420070400000n) << 22n).toString();
}
