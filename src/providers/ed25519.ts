import { importPrivateKey, importPublicKeys, type SecretInput } from '../crypto/keys.js';
import { defineProvider, signedBodyOnly } from './define-provider.js';
import type { SchemeOptions } from './hmac.js';
import { ed25519Check } from './signature-check.js';
import { prefixedSignature } from './signature-header.js';
import type { EventCatalog, Provider, ProviderTypes } from './types.js';

export interface Ed25519Options extends SchemeOptions {
  /** One public key, or several while rotating: hex, base64, `whpk_…` or the 32 bytes. */
  publicKey: SecretInput | readonly SecretInput[];
  /** Only for signing (tests, senders): the 32-byte seed or 64-byte secret key, hex/base64/`whsk_…`. */
  privateKey?: SecretInput;
}

/**
 * A provider for any Ed25519-signed webhook (node:crypto, tweetnacl where that is missing).
 *
 * @example
 * const provider = providers.ed25519({ publicKey: process.env.PUBLIC_KEY!, signatureHeader: 'x-signature',
 *   timestampHeader: 'x-signature-timestamp', signedContent: ({ timestamp, body }) => [timestamp!, body] });
 * // Your own sender's events, typed without schemas: ed25519<{ 'order.created': Order }>({ … })
 */
export function ed25519<Events extends EventCatalog | undefined = undefined, Id extends string | undefined = string | undefined>(options: Ed25519Options): Provider<ProviderTypes<Events, Id>> {
  const { publicKey, privateKey, encoding, signaturePrefix, signatureFormat, signatureVersion, signedContent, name, ...rest } = options;
  const check = ed25519Check({
    publicKeys: importPublicKeys(publicKey, 'publicKey'),
    ...(privateKey !== undefined ? { privateKey: importPrivateKey(privateKey, 'privateKey') } : {}),
    encoding: encoding ?? 'hex',
    version: signatureVersion ?? '',
  });
  return defineProvider({
    ...rest,
    name: name ?? 'ed25519',
    signatureFormat: signatureFormat ?? prefixedSignature(signaturePrefix ?? ''),
    checks: [check],
    signedContent: signedContent ?? signedBodyOnly,
  });
}
