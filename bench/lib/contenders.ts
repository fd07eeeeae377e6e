/**
 * For each scheme, everything that verifies the same delivery: the node:crypto floor (the least
 * work a correct hand-written verifier does), hookguard's preset, and the peers users pick.
 */
import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey, timingSafeEqual, verify as edVerify, webcrypto } from 'node:crypto';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { verifyKey } from 'discord-interactions';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import nacl from 'tweetnacl';
import type { Provider } from '../../src/index.js';
import { discordPublicKeyHex, secrets, type Delivery, type Scheme } from './deliveries.js';
import type { Contender } from './harness.js';
import { hookguard } from './hookguard.js';

const { providers, verifyWebhook } = hookguard;

export type Kind = 'floor' | 'floor+parse' | 'hookguard' | 'hookguard+parse' | 'peer';

export interface BenchContender extends Contender {
  kind: Kind;
  /** True when the contender also decodes the JSON body (so `floor + JSON.parse` is its fair floor). */
  parses: boolean;
  note?: string;
}

const TOLERANCE = 300;

function fail(what: string): never {
  throw new Error(`${what}: the delivery did not verify`);
}

function fresh(now: number, ts: string): boolean {
  return Math.abs(now - Number(ts)) <= TOLERANCE;
}

/** Keys, providers and peer clients: built once per run, like a server would. */
const built = {
  swhKey: createSecretKey(secrets.standardWebhooksKey),
  stripeKey: createSecretKey(Buffer.from(secrets.stripe, 'utf8')),
  githubKey: createSecretKey(Buffer.from(secrets.github, 'utf8')),
  slackKey: createSecretKey(Buffer.from(secrets.slack, 'utf8')),
  shopifyKey: createSecretKey(Buffer.from(secrets.shopify, 'utf8')),
  providers: {
    standardWebhooks: providers.standardWebhooks({ secret: secrets.standardWebhooks }),
    stripe: providers.stripe({ secret: secrets.stripe }),
    github: providers.github({ secret: secrets.github }),
    slack: providers.slack({ signingSecret: secrets.slack }),
    shopify: providers.shopify({ secret: secrets.shopify }),
    discord: providers.discord({ publicKey: discordPublicKeyHex() }),
  } satisfies Record<Scheme, Provider>,
  standardWebhook: new StandardWebhook(secrets.standardWebhooks),
  svix: new SvixWebhook(secrets.standardWebhooks),
  stripeClient: new Stripe('sk_test_bench_not_a_real_key'),
  naclPublicKey: Buffer.from(discordPublicKeyHex(), 'hex'),
  discordCryptoKey: undefined as webcrypto.CryptoKey | undefined,
};

export async function prepare(): Promise<void> {
  built.discordCryptoKey = await webcrypto.subtle.importKey('raw', built.naclPublicKey, { name: 'Ed25519' }, false, ['verify']);
}

/** The node:crypto floor for each scheme: read headers, check freshness, one HMAC streamed over the parts, decode, timingSafeEqual. */
function floor(scheme: Scheme, d: Delivery): () => boolean {
  const { headers: h, body, now } = d;
  switch (scheme) {
    case 'standardWebhooks':
      return () => {
        const id = h['webhook-id'] as string;
        const ts = h['webhook-timestamp'] as string;
        const signature = h['webhook-signature'] as string; // "v1,<base64>"
        if (!fresh(now, ts)) fail('floor');
        const expected = createHmac('sha256', built.swhKey).update(`${id}.${ts}.`).update(body).digest();
        const given = Buffer.from(signature.slice(3), 'base64');
        return given.length === 32 && timingSafeEqual(expected, given);
      };
    case 'stripe':
      return () => {
        const header = h['stripe-signature'] as string; // "t=<ts>,v1=<hex>"
        const comma = header.indexOf(',');
        const ts = header.slice(2, comma);
        if (!fresh(now, ts)) fail('floor');
        const expected = createHmac('sha256', built.stripeKey).update(`${ts}.`).update(body).digest();
        const given = Buffer.from(header.slice(comma + 4), 'hex');
        return given.length === 32 && timingSafeEqual(expected, given);
      };
    case 'github':
      return () => {
        const expected = createHmac('sha256', built.githubKey).update(body).digest();
        const given = Buffer.from((h['x-hub-signature-256'] as string).slice(7), 'hex'); // "sha256=<hex>"
        return given.length === 32 && timingSafeEqual(expected, given);
      };
    case 'slack':
      return () => {
        const ts = h['x-slack-request-timestamp'] as string;
        if (!fresh(now, ts)) fail('floor');
        const expected = createHmac('sha256', built.slackKey).update(`v0:${ts}:`).update(body).digest();
        const given = Buffer.from((h['x-slack-signature'] as string).slice(3), 'hex'); // "v0=<hex>"
        return given.length === 32 && timingSafeEqual(expected, given);
      };
    case 'shopify':
      return () => {
        const expected = createHmac('sha256', built.shopifyKey).update(body).digest();
        const given = Buffer.from(h['x-shopify-hmac-sha256'] as string, 'base64');
        return given.length === 32 && timingSafeEqual(expected, given);
      };
    case 'discord':
      return () => {
        const ts = h['x-signature-timestamp'] as string;
        if (!fresh(now, ts)) fail('floor');
        const signature = Buffer.from(h['x-signature-ed25519'] as string, 'hex');
        return signature.length === 64 && edVerify(null, Buffer.concat([Buffer.from(ts), body]), secrets.discord.publicKey, signature);
      };
  }
}

function check<T>(name: string, run: () => T): () => T {
  return () => {
    const result = run();
    if (result === false) fail(name);
    return result;
  };
}

/** Every contender for one scheme, on one delivery. */
export function contendersFor(scheme: Scheme, d: Delivery): BenchContender[] {
  const { headers, body, text, now } = d;
  const provider = built.providers[scheme];
  const input = { headers, body, now };
  const floorRun = check('floor', floor(scheme, d));
  const list: BenchContender[] = [
    { name: 'node:crypto floor', kind: 'floor', parses: false, run: floorRun },
    { name: 'node:crypto floor + JSON.parse', kind: 'floor+parse', parses: true, run: () => floorRun() && JSON.parse(body.toString('utf8')) },
    { name: `hookguard ${scheme} verify`, kind: 'hookguard', parses: false, run: () => provider.verify(input) },
    { name: `hookguard ${scheme} verify+parse`, kind: 'hookguard+parse', parses: true, run: () => verifyWebhook(provider, input) },
  ];
  switch (scheme) {
    case 'standardWebhooks':
      list.push(
        { name: 'standardwebhooks Webhook.verify', kind: 'peer', parses: true, run: () => built.standardWebhook.verify(body, headers) },
        { name: 'svix Webhook.verify', kind: 'peer', parses: true, run: () => built.svix.verify(body, headers) },
      );
      break;
    case 'stripe':
      list.push({
        name: 'stripe webhooks.constructEvent',
        kind: 'peer',
        parses: true,
        run: () => built.stripeClient.webhooks.constructEvent(body, headers['stripe-signature'] as string, secrets.stripe, TOLERANCE, undefined, now * 1000),
      });
      break;
    case 'github': {
      const signature = headers['x-hub-signature-256'] as string;
      list.push({
        name: '@octokit/webhooks-methods verify',
        kind: 'peer',
        parses: false,
        async: true,
        note: 'async; takes the body as a string (decoded outside the loop)',
        run: async () => (await octokitVerify(secrets.github, text, signature)) || fail('octokit'),
      });
      break;
    }
    case 'discord': {
      const ts = headers['x-signature-timestamp'] as string;
      const signatureHex = headers['x-signature-ed25519'] as string;
      list.push(
        {
          name: 'tweetnacl sign.detached.verify',
          kind: 'peer',
          parses: false,
          run: () => nacl.sign.detached.verify(Buffer.concat([Buffer.from(ts), body]), Buffer.from(signatureHex, 'hex'), built.naclPublicKey) || fail('tweetnacl'),
        },
        {
          name: 'discord-interactions verifyKey (CryptoKey)',
          kind: 'peer',
          parses: false,
          async: true,
          note: 'async (WebCrypto); key imported once',
          run: async () => (await verifyKey(body, signatureHex, ts, built.discordCryptoKey as webcrypto.CryptoKey)) || fail('discord-interactions'),
        },
      );
      break;
    }
  }
  return list;
}
