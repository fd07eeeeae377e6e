/**
 * Every fixture vector, through the provider preset it names: `valid` ones verify, `invalid`
 * ones throw a WebhookError with the stated code (or one of `acceptableReasons`), and
 * `misconfigured` ones are refused when the provider is built. Nothing is skipped: a vector
 * file for a provider with no preset yet is listed below by name, and a test pins the exact
 * set of files, so a newly added file cannot be ignored silently.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, isWebhookError } from '../src/core/errors.js';
import { providers } from '../src/providers/index.js';
import type { Provider } from '../src/providers/types.js';
import { loadVectorFiles, type Vector, type VectorProvider } from './helpers/vectors.js';

type SupportedProvider = 'standard-webhooks' | 'svix' | 'stripe' | 'github' | 'slack' | 'shopify' | 'discord' | 'twilio' | 'paddle' | 'sendgrid';

/** Every vector of these files runs (DESIGN.md's first provider set, then issue #7's Twilio, Paddle and SendGrid). */
const SUPPORTED: readonly SupportedProvider[] = ['standard-webhooks', 'svix', 'stripe', 'github', 'slack', 'shopify', 'discord', 'twilio', 'paddle', 'sendgrid'];

/**
 * Vector files with no preset yet, filtered out on purpose (none today). When a file is added,
 * list it here or, with its preset, in SUPPORTED with a builder in BUILDERS.
 */
const NOT_YET_SUPPORTED: readonly VectorProvider[] = [];

/** Builds the preset a vector names, from the vector's secret(s) or public key(s) and options. */
const BUILDERS: Record<SupportedProvider, (vector: Vector) => Provider> = {
  'standard-webhooks': (vector) => providers.standardWebhooks({ ...standardWebhooksKeys(vector), ...toleranceOf(vector, ['headerPrefix']) }),
  // Svix is Standard Webhooks with svix-* headers (DESIGN.md: a brand is configuration): the `svix` alias.
  svix: (vector) => providers.svix({ secret: secretOf(vector, 'whsec-base64'), ...toleranceOf(vector, ['headerPrefix']) }),
  stripe: (vector) => providers.stripe({ secret: secretOf(vector, 'utf8'), ...toleranceOf(vector) }),
  github: (vector) => providers.github({ secret: secretOf(vector, 'utf8'), ...noOptions(vector) }),
  slack: (vector) => providers.slack({ signingSecret: secretOf(vector, 'utf8'), ...toleranceOf(vector) }),
  shopify: (vector) => providers.shopify({ secret: secretOf(vector, 'utf8'), ...noOptions(vector) }),
  discord: (vector) => providers.discord({ publicKey: publicKeyOf(vector, 'hex'), ...toleranceOf(vector) }),
  // Twilio signs the URL: the vector's `url` is passed in the verify input, as an adapter would.
  twilio: (vector) => providers.twilio({ authToken: secretOf(vector, 'utf8'), ...noOptions(vector) }),
  paddle: (vector) => providers.paddle({ secret: secretOf(vector, 'utf8'), ...toleranceOf(vector) }),
  sendgrid: (vector) => providers.sendgrid({ publicKey: publicKeyOf(vector, 'spki-der-base64'), ...toleranceOf(vector) }),
};

function providerFor(vector: Vector): Provider {
  if (!isSupported(vector.provider)) throw new Error(`${vector.id}: no preset for ${vector.provider} yet.`);
  return BUILDERS[vector.provider](vector);
}

function isSupported(provider: VectorProvider): provider is SupportedProvider {
  return (SUPPORTED as readonly string[]).includes(provider);
}

/** `secret` or `secrets` (rotation), after checking the vector means the key format the preset uses. */
function secretOf(vector: Vector, format: 'utf8' | 'whsec-base64'): string | string[] {
  if (vector.secretFormat !== format) throw new Error(`${vector.id}: secretFormat is ${String(vector.secretFormat)}, the ${vector.provider} preset reads ${format}.`);
  const secret = vector.secrets ?? vector.secret;
  if (secret === undefined) throw new Error(`${vector.id}: no secret or secrets.`);
  return secret;
}

function publicKeyOf(vector: Vector, format: 'hex' | 'whpk-base64' | 'spki-der-base64'): string | string[] {
  if (vector.publicKeyFormat !== format) throw new Error(`${vector.id}: publicKeyFormat is ${String(vector.publicKeyFormat)}, the ${vector.provider} preset reads ${format}.`);
  const key = vector.publicKeys ?? vector.publicKey;
  if (key === undefined) throw new Error(`${vector.id}: no publicKey or publicKeys.`);
  return key;
}

function standardWebhooksKeys(vector: Vector): { secret?: string | string[]; publicKey?: string | string[] } {
  const keys: { secret?: string | string[]; publicKey?: string | string[] } = {};
  if (vector.secret !== undefined || vector.secrets !== undefined) keys.secret = secretOf(vector, 'whsec-base64');
  if (vector.publicKey !== undefined || vector.publicKeys !== undefined) keys.publicKey = publicKeyOf(vector, 'whpk-base64');
  return keys;
}

/** `options.toleranceSeconds` when given; any option the test does not know fails the vector loudly. */
function toleranceOf(vector: Vector, alsoAllowed: readonly string[] = []): { toleranceSeconds?: number } {
  const options = vector.options ?? {};
  for (const key of Object.keys(options)) {
    if (key !== 'toleranceSeconds' && !alsoAllowed.includes(key)) throw new Error(`${vector.id}: unknown option "${key}" for ${vector.provider}.`);
  }
  if (options.headerPrefix !== undefined && options.headerPrefix !== (vector.provider === 'svix' ? 'svix' : 'webhook')) {
    throw new Error(`${vector.id}: headerPrefix ${options.headerPrefix} does not fit provider ${vector.provider}.`);
  }
  return options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds };
}

/** GitHub, Shopify and Twilio sign no timestamp: a vector giving them options is a fixture the test does not understand. */
function noOptions(vector: Vector): Record<string, never> {
  if (vector.options !== undefined && Object.keys(vector.options).length > 0) throw new Error(`${vector.id}: ${vector.provider} takes no options here.`);
  return {};
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a WebhookError, but nothing was thrown');
}

function expectCode(error: unknown, vector: Vector): void {
  const accepted = [vector.reason, ...(vector.acceptableReasons ?? [])];
  expect(isWebhookError(error), `threw ${String(error)}`).toBe(true);
  if (!isWebhookError(error)) return;
  expect(accepted).toContain(error.code);
  expect(error.status).toBe(ERROR_STATUS[error.code]);
}

function outcome(vector: Vector): string {
  if (vector.expect === 'valid') return 'verifies';
  return `→ ${[vector.reason, ...(vector.acceptableReasons ?? [])].join(' | ')}`;
}

const files = loadVectorFiles();

it('the fixtures hold exactly the known provider files (a new file must be wired in here, not ignored)', () => {
  expect(files.map((file) => file.file)).toEqual([...SUPPORTED, ...NOT_YET_SUPPORTED].map((name) => `${name}.json`).sort());
  for (const file of files) {
    expect(file.provider, file.file).toBe(file.file.replace(/\.json$/, ''));
    for (const vector of file.vectors) expect(vector.provider, vector.id).toBe(file.provider);
  }
});

/** Vectors actually executed per file, checked against each file's declared `count` at the end. */
const ran = new Map<string, number>();

for (const file of files.filter((candidate) => isSupported(candidate.provider))) {
  describe(`${file.file} (${file.provider})`, () => {
    for (const vector of file.vectors) {
      it(`${vector.id} ${vector.provider}.verify(): ${vector.description} ${outcome(vector)}`, () => {
        ran.set(file.file, (ran.get(file.file) ?? 0) + 1);
        const input = { method: vector.method, headers: vector.headers, body: vector.rawBody, now: vector.now, ...(vector.url !== undefined ? { url: vector.url } : {}) };

        if (vector.reason === 'misconfigured') {
          expectCode(thrownBy(() => providerFor(vector)), vector);
          return;
        }
        const provider = providerFor(vector);
        if (vector.expect === 'valid') {
          const verified = provider.verify(input);
          expect(Buffer.from(verified.rawBody).equals(vector.rawBody)).toBe(true);
        } else {
          expectCode(thrownBy(() => provider.verify(input)), vector);
        }
      });
    }
  });
}

describe('vector counts', () => {
  for (const file of files.filter((candidate) => isSupported(candidate.provider))) {
    it(`${file.file}: ran all ${file.count} vectors the file declares`, () => {
      expect(file.vectors).toHaveLength(file.count);
      expect(ran.get(file.file)).toBe(file.count);
    });
  }
});
