import { createPrivateKey, createPublicKey, createSign, createVerify, KeyObject } from 'node:crypto';
import { decode, toBuffer } from '../core/encoding.js';
import { WebhookError } from '../core/errors.js';
import type { SignedPart } from './hmac.js';
import type { KeyHandle } from './key-handle.js';

/** An ECDSA key as users hold it: PEM text, base64 of the DER (SPKI / PKCS#8), the DER bytes, or a `KeyObject`. */
export type EcdsaKeyInput = string | Uint8Array | KeyHandle;

/** How the signature bytes are laid out: ASN.1 DER (SendGrid, OpenSSL) or the fixed 64-byte r‖s (IEEE P1363, WebCrypto, JWS). */
export type DsaEncoding = 'der' | 'ieee-p1363';

const CURVE = 'prime256v1'; // P-256

/**
 * Imports a P-256 public key once. A private key (PEM or KeyObject) is accepted too and reduced to
 * its public half. Anything else — another curve, an RSA key, junk — is `misconfigured`.
 */
export function importEcdsaPublicKey(key: EcdsaKeyInput, option = 'publicKey'): KeyObject {
  let keyObject: KeyObject;
  try {
    if (key instanceof KeyObject) keyObject = key.type === 'public' ? key : createPublicKey(key);
    else if (typeof key === 'string' && key.includes('-----BEGIN')) keyObject = createPublicKey(key);
    else keyObject = createPublicKey({ key: derBytes(key, option), format: 'der', type: 'spki' });
  } catch (cause) {
    if (cause instanceof WebhookError) throw cause;
    throw new WebhookError('misconfigured', `The \`${option}\` option is not an ECDSA public key: pass the base64 (SPKI DER) verification key from the sender's dashboard, or its PEM.`, { cause });
  }
  return requireP256(keyObject, option);
}

/** `publicKey: key | key[]` → the imported keys (rotation: any one may verify). */
export function importEcdsaPublicKeys(keys: EcdsaKeyInput | readonly EcdsaKeyInput[] | undefined, option = 'publicKey'): KeyObject[] {
  const list = keys === undefined ? [] : Array.isArray(keys) ? [...(keys as readonly EcdsaKeyInput[])] : [keys as EcdsaKeyInput];
  if (list.length === 0) {
    throw new WebhookError('misconfigured', `The \`${option}\` option is required: pass one ECDSA public key, or an array of them to rotate.`);
  }
  return list.map((key) => importEcdsaPublicKey(key, option));
}

/** Imports a P-256 private key (signing, for tests): PEM (PKCS#8 or SEC1), base64/bytes of PKCS#8 or SEC1 DER, or a KeyObject. */
export function importEcdsaPrivateKey(key: EcdsaKeyInput, option = 'privateKey'): KeyObject {
  let keyObject: KeyObject | undefined;
  if (key instanceof KeyObject) {
    keyObject = key.type === 'private' ? key : undefined;
  } else if (typeof key === 'string' && key.includes('-----BEGIN')) {
    keyObject = attempt(() => createPrivateKey(key));
  } else {
    const der = derBytes(key, option);
    keyObject = attempt(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })) ?? attempt(() => createPrivateKey({ key: der, format: 'der', type: 'sec1' }));
  }
  if (keyObject === undefined) {
    throw new WebhookError('misconfigured', `The \`${option}\` option is not an ECDSA private key (PEM, or base64 of PKCS#8/SEC1 DER).`);
  }
  return requireP256(keyObject, option);
}

/** ECDSA-SHA256 over the concatenated parts, streamed into one hash. A malformed signature is simply not valid. */
export function ecdsaVerify(key: KeyHandle, parts: readonly SignedPart[], signature: Uint8Array, dsaEncoding: DsaEncoding): boolean {
  const verifier = createVerify('sha256');
  for (let i = 0; i < parts.length; i++) verifier.update(parts[i] as SignedPart);
  try {
    return verifier.verify({ key: key as KeyObject, dsaEncoding }, signature);
  } catch {
    return false; // OpenSSL refuses some malformed encodings by throwing
  }
}

export function ecdsaSign(key: KeyHandle, parts: readonly SignedPart[], dsaEncoding: DsaEncoding): Buffer {
  const signer = createSign('sha256');
  for (let i = 0; i < parts.length; i++) signer.update(parts[i] as SignedPart);
  return signer.sign({ key: key as KeyObject, dsaEncoding });
}

function derBytes(key: EcdsaKeyInput, option: string): Buffer {
  if (key instanceof Uint8Array) return toBuffer(key);
  if (typeof key !== 'string' || key.trim() === '') {
    throw new WebhookError('misconfigured', `The \`${option}\` option is empty or not a string.`);
  }
  const bytes = decode(key.replace(/\s+/g, ''), 'base64');
  if (!bytes || bytes.byteLength === 0) throw new WebhookError('misconfigured', `The \`${option}\` option is neither PEM nor base64 DER.`);
  return bytes;
}

function requireP256(keyObject: KeyObject, option: string): KeyObject {
  if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== CURVE) {
    const got = keyObject.asymmetricKeyType === 'ec' ? `curve ${String(keyObject.asymmetricKeyDetails?.namedCurve)}` : `a ${String(keyObject.asymmetricKeyType ?? keyObject.type)} key`;
    throw new WebhookError('misconfigured', `The \`${option}\` option must be an ECDSA P-256 key; got ${got}.`);
  }
  return keyObject;
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
