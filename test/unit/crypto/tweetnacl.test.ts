import { Buffer } from 'node:buffer';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { ed25519Backend, ed25519Sign, ed25519Verify, setEd25519Backend } from '../../../src/crypto/ed25519.js';
import { importPrivateKey, importPublicKey } from '../../../src/crypto/keys.js';
import { useTweetnacl } from '../../../src/crypto/tweetnacl.js';

afterEach(() => setEd25519Backend('auto'));

describe("useTweetnacl() from 'hookguard/tweetnacl' (#15: tweetnacl only where it is needed)", () => {
  it("setEd25519Backend('tweetnacl') before useTweetnacl() → throws misconfigured (500) naming the entry", () => {
    expect(() => setEd25519Backend('tweetnacl')).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500, message: expect.stringContaining("'hookguard/tweetnacl'") }));
    expect(ed25519Backend()).toBe('node');
  });

  it('after useTweetnacl(), the tweetnacl backend signs what tweetnacl signs and verifies it', () => {
    useTweetnacl();
    setEd25519Backend('tweetnacl');
    expect(ed25519Backend()).toBe('tweetnacl');
    const seed = new Uint8Array(32).fill(7);
    const pair = nacl.sign.keyPair.fromSeed(seed);
    const message = Buffer.from('{"type":"ping"}');
    const signature = ed25519Sign(importPrivateKey(seed), [message]);
    expect(Buffer.from(signature).equals(Buffer.from(nacl.sign.detached(message, pair.secretKey)))).toBe(true);
    expect(ed25519Verify(importPublicKey(pair.publicKey), [message], signature)).toBe(true);
    expect(ed25519Verify(importPublicKey(pair.publicKey), [Buffer.from('{"type":"pong"}')], signature)).toBe(false);
  });
});
