import type { Encoding } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import { kindOf } from '../core/describe-value.js';
import type { HmacAlgorithm } from '../crypto/hmac.js';
import { importSecrets, type SecretFormat, type SecretInput } from '../crypto/keys.js';
import { defineProvider, signedBodyOnly, type ProviderSpec, type SignedContent } from './define-provider.js';
import { hmacCheck } from './signature-check.js';
import { prefixedSignature, type SignatureHeaderFormat } from './signature-header.js';
import type { EventCatalog, Provider, ProviderTypes } from './types.js';

/** Knobs shared by the generic `hmac` and `ed25519` builders. */
export interface SchemeOptions extends Omit<ProviderSpec, 'name' | 'checks' | 'signatureFormat' | 'signedContent'> {
  /** Shown in error messages; defaults to the builder's name. */
  name?: string;
  /** Text before the signature, e.g. `sha256=`; ignored when `signatureFormat` is given. */
  signaturePrefix?: string;
  /** How signatures sit in the header; defaults to one value after `signaturePrefix`. */
  signatureFormat?: SignatureHeaderFormat;
  /** The version tag signatures carry in a list format (`v1`); '' for prefixed formats. */
  signatureVersion?: string;
  encoding?: Encoding;
  /** What is signed; defaults to the body alone. */
  signedContent?: SignedContent;
}

export interface HmacOptions extends SchemeOptions {
  /** One secret, or several while rotating: any one may verify; the first signs. */
  secret: SecretInput | readonly SecretInput[];
  /** The secret option's name in error messages, when a preset calls it something else (Slack: `signingSecret`). */
  secretOption?: string;
  /** How the secret text becomes key bytes; default `utf8`. */
  secretFormat?: SecretFormat;
  /** Default `sha256`. */
  algorithm?: HmacAlgorithm;
}

const ALGORITHMS: readonly HmacAlgorithm[] = ['sha1', 'sha256', 'sha512'];

/**
 * A provider for any HMAC-signed webhook. The built-in presets are this builder with their
 * knobs set.
 *
 * @example
 * const acme = providers.hmac({
 *   secret: process.env.ACME_SECRET!, signatureHeader: 'x-acme-signature', signaturePrefix: 'sha256=',
 *   timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [`${timestamp}.`, body],
 *   locateType: (payload) => (payload as { event?: string }).event,
 * });
 * // Your own sender's events, typed without schemas: hmac<{ 'order.created': Order }>({ … })
 */
export function hmac<Events extends EventCatalog | undefined = undefined, Id extends string | undefined = string | undefined>(options: HmacOptions): Provider<ProviderTypes<Events, Id>> {
  const { secret, secretOption, secretFormat, algorithm, encoding, signaturePrefix, signatureFormat, signatureVersion, signedContent, name, ...rest } = options;
  const keys = importSecrets(secret, secretFormat ?? 'utf8', secretOption ?? 'secret');
  if (algorithm !== undefined && !ALGORITHMS.includes(algorithm)) {
    throw new WebhookError('misconfigured', `\`algorithm\` must be one of ${ALGORITHMS.join(', ')}; got ${kindOf(algorithm)}.`);
  }
  return defineProvider({
    ...rest,
    name: name ?? 'hmac',
    signatureFormat: signatureFormat ?? prefixedSignature(signaturePrefix ?? ''),
    checks: [hmacCheck({ keys, algorithm: algorithm ?? 'sha256', encoding: encoding ?? 'hex', version: signatureVersion ?? '' })],
    signedContent: signedContent ?? signedBodyOnly,
  });
}
