import { Buffer } from 'node:buffer';
import nacl from 'tweetnacl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isWebhookError } from '../../../src/core/errors.js';
import { ed25519Backend, ed25519PublicKeyOf, ed25519Sign, ed25519Verify, setEd25519Backend, type Ed25519Backend } from '../../../src/crypto/ed25519.js';
import { useTweetnacl } from '../../../src/crypto/tweetnacl.js';
import { importPrivateKey, importPublicKey } from '../../../src/crypto/keys.js';
import { providers } from '../../../src/providers/index.js';
import type { Provider } from '../../../src/providers/types.js';
import { loadVectors, type Vector } from '../../helpers/vectors.js';

const BACKENDS: readonly Ed25519Backend[] = ['node', 'tweetnacl'];

useTweetnacl();

afterEach(() => {
  setEd25519Backend('auto');
  vi.restoreAllMocks();
});

/** RFC 8032 §7.1, TEST 1 and TEST 2. */
const RFC8032 = [
  {
    name: 'TEST 1 (empty message)',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte, 0x72)',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
] as const;

const hexBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

describe('setEd25519Backend() / ed25519Backend()', () => {
  it("forces each backend, and 'auto' picks node:crypto on Node 20", () => {
    setEd25519Backend('tweetnacl');
    expect(ed25519Backend()).toBe('tweetnacl');
    setEd25519Backend('node');
    expect(ed25519Backend()).toBe('node');
    setEd25519Backend('auto');
    expect(ed25519Backend()).toBe('node');
  });

  it('the forced backend is the one that runs: tweetnacl is called only when chosen', () => {
    const verifySpy = vi.spyOn(nacl.sign.detached, 'verify');
    const fromSeedSpy = vi.spyOn(nacl.sign.keyPair, 'fromSeed');
    const [vector] = RFC8032;
    const publicKey = importPublicKey(vector.publicKey);
    const privateKey = importPrivateKey(vector.seed);

    setEd25519Backend('node');
    ed25519Verify(publicKey, [hexBytes(vector.message)], hexBytes(vector.signature));
    ed25519Sign(privateKey, [hexBytes(vector.message)]);
    expect([verifySpy.mock.calls.length, fromSeedSpy.mock.calls.length]).toEqual([0, 0]);

    setEd25519Backend('tweetnacl');
    ed25519Verify(publicKey, [hexBytes(vector.message)], hexBytes(vector.signature));
    ed25519Sign(privateKey, [hexBytes(vector.message)]);
    expect([verifySpy.mock.calls.length, fromSeedSpy.mock.calls.length]).toEqual([1, 1]);
  });
});

describe('RFC 8032 test vectors', () => {
  for (const vector of RFC8032) {
    it(`ed25519PublicKeyOf() RFC 8032 ${vector.name} → the RFC's public key`, () => {
      expect(Buffer.from(ed25519PublicKeyOf(hexBytes(vector.seed))).toString('hex')).toBe(vector.publicKey);
    });

    for (const backend of BACKENDS) {
      it(`[${backend}] ed25519Sign() RFC 8032 ${vector.name} → the RFC's signature`, () => {
        setEd25519Backend(backend);
        expect(ed25519Sign(importPrivateKey(vector.seed), [hexBytes(vector.message)]).toString('hex')).toBe(vector.signature);
      });

      it(`[${backend}] ed25519Verify() RFC 8032 ${vector.name} → true; a changed message, signature or key → false`, () => {
        setEd25519Backend(backend);
        const publicKey = importPublicKey(vector.publicKey);
        const message = hexBytes(vector.message);
        const signature = hexBytes(vector.signature);
        expect(ed25519Verify(publicKey, [message], signature)).toBe(true);

        expect(ed25519Verify(publicKey, [Buffer.concat([message, Buffer.from([0])])], signature)).toBe(false);
        for (const index of [0, 31, 32, 63]) {
          const tampered = Buffer.from(signature);
          tampered[index] = (tampered[index] as number) ^ 0x01;
          expect(ed25519Verify(publicKey, [message], tampered), `signature byte ${index}`).toBe(false);
        }
        const other = RFC8032.find((candidate) => candidate !== vector);
        expect(ed25519Verify(importPublicKey(other?.publicKey ?? ''), [message], signature)).toBe(false);
      });
    }
  }

  for (const backend of BACKENDS) {
    it(`[${backend}] ed25519Verify() signs the concatenation of its parts (one part or many, strings as UTF-8)`, () => {
      setEd25519Backend(backend);
      const privateKey = importPrivateKey(RFC8032[0].seed);
      const publicKey = importPublicKey(RFC8032[0].publicKey);
      const body = Uint8Array.from([0x7b, 0xe9, 0xff, 0x7d]);
      const whole = Buffer.concat([Buffer.from('1735736400é', 'utf8'), body]);
      const signature = ed25519Sign(privateKey, ['1735', '736400é', body]);
      expect(signature.equals(ed25519Sign(privateKey, [whole]))).toBe(true);
      expect(ed25519Verify(publicKey, [whole], signature)).toBe(true);
      expect(ed25519Verify(publicKey, ['1735736400é', body], signature)).toBe(true);
    });

    it(`[${backend}] ed25519Verify() → false for a signature that is not 64 bytes`, () => {
      setEd25519Backend(backend);
      const [vector] = RFC8032;
      const signature = hexBytes(vector.signature);
      const publicKey = importPublicKey(vector.publicKey);
      expect(ed25519Verify(publicKey, [Buffer.alloc(0)], signature.subarray(0, 63))).toBe(false);
      expect(ed25519Verify(publicKey, [Buffer.alloc(0)], Buffer.concat([signature, Buffer.from([0])]))).toBe(false);
      expect(ed25519Verify(publicKey, [Buffer.alloc(0)], Buffer.alloc(0))).toBe(false);
    });

    it(`[${backend}] ed25519Verify() → false for a malleated signature (S + L, S = L): RFC 8032 §5.1.7 requires S < L`, () => {
      setEd25519Backend(backend);
      const L = (1n << 252n) + 27742317777372353535851937790883648493n;
      const withScalar = (signature: Buffer, scalar: bigint): Buffer => {
        const out = Buffer.from(signature);
        for (let i = 0; i < 32; i++) out[32 + i] = Number((scalar >> BigInt(8 * i)) & 0xffn);
        return out;
      };
      for (const vector of RFC8032) {
        const signature = hexBytes(vector.signature);
        let s = 0n;
        for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(signature[32 + i] as number);
        const publicKey = importPublicKey(vector.publicKey);
        const message = [hexBytes(vector.message)];
        expect(ed25519Verify(publicKey, message, withScalar(signature, s)), 'the original').toBe(true);
        expect(ed25519Verify(publicKey, message, withScalar(signature, s + L)), 'S + L').toBe(false);
        expect(ed25519Verify(publicKey, message, withScalar(signature, L)), 'S = L').toBe(false);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Every Ed25519 vector of the fixtures, through the providers, on both backends.

const DISCORD = loadVectors('discord');
const STANDARD_V1A = loadVectors('standard-webhooks').filter((vector) => vector.publicKey !== undefined || vector.publicKeys !== undefined);

/** The seeds behind the Standard Webhooks v1a fixture keys (README: seeds 0x01×32, 0x02×32, and the Go suite's ASCII seed). */
const KNOWN_SEEDS = [Buffer.alloc(32, 0x01), Buffer.alloc(32, 0x02), Buffer.from('TESTSIGNINGKEYDONOTUSETHISFORANY', 'ascii')];
const whpkOf = (seed: Uint8Array): string => `whpk_${Buffer.from(ed25519PublicKeyOf(seed)).toString('base64')}`;

function keysOf(vector: Vector): string[] {
  const keys = vector.publicKeys ?? (vector.publicKey === undefined ? [] : [vector.publicKey]);
  if (keys.length === 0) throw new Error(`${vector.id}: no public key`);
  return keys;
}

function providerFor(vector: Vector, privateKey?: string): Provider {
  const keys = keysOf(vector);
  const publicKey = keys.length === 1 ? (keys[0] as string) : keys;
  if (vector.provider === 'discord') return providers.discord({ publicKey, ...(privateKey ? { privateKey } : {}) });
  return providers.standardWebhooks({ publicKey, ...(privateKey ? { privateKey } : {}) });
}

/** 'valid', or the WebhookError code; construction included, so a misconfigured key shows too. */
function verdict(vector: Vector): string {
  try {
    providerFor(vector).verify({ method: vector.method, headers: vector.headers, body: vector.rawBody, now: vector.now });
    return 'valid';
  } catch (error) {
    return isWebhookError(error) ? error.code : `non-WebhookError: ${String(error)}`;
  }
}

function headerValue(vector: Vector, name: string): string | undefined {
  const entry = Object.entries(vector.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

describe('Ed25519 fixture vectors on both backends', () => {
  it('there are Ed25519 vectors to compare: every discord.json vector and the standard-webhooks v1a ones', () => {
    expect(DISCORD.length).toBeGreaterThanOrEqual(10);
    expect(STANDARD_V1A.length).toBeGreaterThanOrEqual(8);
  });

  for (const vector of [...DISCORD, ...STANDARD_V1A]) {
    const accepted = vector.expect === 'valid' ? ['valid'] : [vector.reason as string, ...(vector.acceptableReasons ?? [])];
    it(`${vector.id} ${vector.provider}.verify(): node and tweetnacl give the same verdict → ${accepted.join(' | ')}`, () => {
      const verdicts = BACKENDS.map((backend) => {
        setEd25519Backend(backend);
        return verdict(vector);
      });
      expect(verdicts[0]).toBe(verdicts[1]);
      expect(accepted).toContain(verdicts[0]);
    });
  }

  it('the tweetnacl runs really went through tweetnacl, and the node runs did not', () => {
    const spy = vi.spyOn(nacl.sign.detached, 'verify');
    setEd25519Backend('node');
    for (const vector of [...DISCORD, ...STANDARD_V1A]) verdict(vector);
    expect(spy).not.toHaveBeenCalled();
    setEd25519Backend('tweetnacl');
    for (const vector of [...DISCORD, ...STANDARD_V1A]) verdict(vector);
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(DISCORD.filter((vector) => vector.expect === 'valid').length);
  });

  it('the known seeds give exactly the public keys the standard-webhooks v1a vectors use', () => {
    const used = new Set(STANDARD_V1A.flatMap(keysOf));
    expect(new Set(KNOWN_SEEDS.map(whpkOf))).toEqual(used);
  });

  for (const vector of STANDARD_V1A) {
    it(`${vector.id} standardWebhooks.sign(): node and tweetnacl make identical v1a signatures${vector.expect === 'valid' ? ', one of them the header\'s' : ''}`, () => {
      const id = headerValue(vector, 'webhook-id') ?? 'msg_missing';
      const timestamp = Number(headerValue(vector, 'webhook-timestamp') ?? vector.now);
      const received = new Set((headerValue(vector, 'webhook-signature') ?? '').split(' '));
      const keys = new Set(keysOf(vector));
      const seeds = KNOWN_SEEDS.filter((seed) => keys.has(whpkOf(seed)));
      expect(seeds.length).toBeGreaterThan(0);

      let matchedHeader = false;
      for (const seed of seeds) {
        const privateKey = `whsk_${seed.toString('base64')}`;
        const signatures = BACKENDS.map((backend) => {
          setEd25519Backend(backend);
          return providerFor(vector, privateKey).sign({ body: vector.rawBody, id, timestamp }).headers['webhook-signature'];
        });
        expect(signatures[0]).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
        expect(signatures[0]).toBe(signatures[1]);
        if (received.has(signatures[0] as string)) matchedHeader = true;
      }
      if (vector.expect === 'valid') expect(matchedHeader).toBe(true);
    });
  }

  it('discord.sign(): node and tweetnacl make identical signatures over every discord.json body, each accepted by both', () => {
    const seed = Buffer.alloc(32, 0x2a);
    const publicKey = Buffer.from(ed25519PublicKeyOf(seed)).toString('hex');
    for (const vector of DISCORD) {
      const timestamp = vector.now;
      const signed = BACKENDS.map((backend) => {
        setEd25519Backend(backend);
        return providers.discord({ publicKey, privateKey: seed.toString('hex') }).sign({ body: vector.rawBody, timestamp });
      });
      expect(signed[0]?.headers['x-signature-ed25519'], vector.id).toMatch(/^[0-9a-f]{128}$/);
      expect(signed[0]?.headers, vector.id).toEqual(signed[1]?.headers);
      for (const backend of BACKENDS) {
        setEd25519Backend(backend);
        const provider = providers.discord({ publicKey });
        expect(() => provider.verify({ headers: signed[0]?.headers ?? {}, body: vector.rawBody, now: timestamp }), `${vector.id} on ${backend}`).not.toThrow();
      }
    }
  });
});
