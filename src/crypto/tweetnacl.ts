import nacl from 'tweetnacl';
import { registerPortableEd25519 } from './ed25519.js';

/**
 * Registers tweetnacl as the portable Ed25519 backend, for runtimes whose node:crypto has no
 * Ed25519. A separate entry, so bundles for runtimes that have it never carry tweetnacl's 33 KB.
 *
 * @example
 * import { useTweetnacl } from 'hookguard/tweetnacl';
 * useTweetnacl(); // once, before building Ed25519 providers
 */
export function useTweetnacl(): void {
  registerPortableEd25519({
    verify: (message, signature, publicKey) => nacl.sign.detached.verify(message, signature, publicKey),
    sign: (message, seed) => nacl.sign.detached(message, nacl.sign.keyPair.fromSeed(seed).secretKey),
  });
}
