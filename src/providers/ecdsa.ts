import { WebhookError } from '../core/errors.js';
import { kindOf } from '../core/describe-value.js';
import { importEcdsaPrivateKey, importEcdsaPublicKeys, type DsaEncoding, type EcdsaKeyInput } from '../crypto/ecdsa.js';
import { defineProvider, signedBodyOnly } from './define-provider.js';
import type { SchemeOptions } from './hmac.js';
import { ecdsaCheck } from './signature-check.js';
import { prefixedSignature } from './signature-header.js';
import type { Provider } from './types.js';

export interface EcdsaOptions extends SchemeOptions {
  /** One P-256 public key, or several while rotating: base64 SPKI DER, PEM, the DER bytes or a `KeyObject`. */
  publicKey: EcdsaKeyInput | readonly EcdsaKeyInput[];
  /** Only for signing (tests, senders): PEM, base64 PKCS#8/SEC1 DER, or a `KeyObject`. */
  privateKey?: EcdsaKeyInput;
  /** `der` (default; SendGrid, OpenSSL) or `ieee-p1363` (the 64-byte r‖s of WebCrypto and JWS). */
  dsaEncoding?: DsaEncoding;
}

/**
 * A provider for any ECDSA P-256 / SHA-256 signed webhook. Keys are imported once
 * (`crypto.createPublicKey`); the signed parts are streamed into the hash, never joined.
 * The signature is base64 unless `encoding` says otherwise.
 *
 * @example
 * const provider = providers.ecdsa({ publicKey: process.env.ACME_PUBLIC_KEY!, signatureHeader: 'x-acme-signature',
 *   timestampHeader: 'x-acme-timestamp', signedContent: ({ timestamp, body }) => [timestamp!, body] });
 */
export function ecdsa(options: EcdsaOptions): Provider {
  const { publicKey, privateKey, dsaEncoding, encoding, signaturePrefix, signatureFormat, signatureVersion, signedContent, name, ...rest } = options;
  if (dsaEncoding !== undefined && dsaEncoding !== 'der' && dsaEncoding !== 'ieee-p1363') {
    throw new WebhookError('misconfigured', `\`dsaEncoding\` must be 'der' or 'ieee-p1363'; got ${kindOf(dsaEncoding)}.`);
  }
  const check = ecdsaCheck({
    publicKeys: importEcdsaPublicKeys(publicKey, 'publicKey'),
    ...(privateKey !== undefined ? { privateKey: importEcdsaPrivateKey(privateKey, 'privateKey') } : {}),
    encoding: encoding ?? 'base64',
    dsaEncoding: dsaEncoding ?? 'der',
    version: signatureVersion ?? '',
  });
  return defineProvider({
    ...rest,
    name: name ?? 'ecdsa',
    signatureFormat: signatureFormat ?? prefixedSignature(signaturePrefix ?? ''),
    checks: [check],
    signedContent: signedContent ?? signedBodyOnly,
  });
}
