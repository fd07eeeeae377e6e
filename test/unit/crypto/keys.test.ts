import { Buffer } from 'node:buffer';
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../src/providers/index.js';
import { isWebhookError } from '../../../src/core/errors.js';
import { importPrivateKey, importPublicKey, importPublicKeys, importSecret, importSecrets } from '../../../src/crypto/keys.js';

/** RFC 8032 §7.1 test 1: seed and public key. */
const SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const PUBLIC_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const SEED = Buffer.from(SEED_HEX, 'hex');
const PUBLIC = Buffer.from(PUBLIC_HEX, 'hex');

function thrown(action: () => unknown): { status: number; code: string; message: string } {
  try {
    action();
  } catch (error) {
    if (isWebhookError(error)) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a WebhookError, but nothing was thrown');
}

const codeOf = (action: () => unknown): [number, string] => {
  const { status, code } = thrown(action);
  return [status, code];
};

const secretHex = (key: ReturnType<typeof importSecret>): string => key.export().toString('hex');

describe("importSecret(secret, 'whsec')", () => {
  const expected = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64').toString('hex');

  it('decodes whsec_<base64> to the key bytes', () => {
    expect(secretHex(importSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec'))).toBe(expected);
  });

  it('decodes the same base64 without the whsec_ prefix', () => {
    expect(secretHex(importSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec'))).toBe(expected);
  });

  it('accepts unpadded base64 (31 characters → 23 bytes)', () => {
    const key = importSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS', 'whsec');
    expect(secretHex(key)).toBe(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=', 'base64').toString('hex'));
    expect(key.symmetricKeySize).toBe(23);
  });

  for (const secret of ['', 'whsec_']) {
    it(`importSecret(${JSON.stringify(secret)}) → misconfigured 500`, () => {
      expect(codeOf(() => importSecret(secret, 'whsec'))).toEqual([500, 'misconfigured']);
    });
  }

  it('text that is not base64 → misconfigured 500, naming the option and not echoing the secret', () => {
    for (const secret of ['whsec_test_secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n', 'whsec_abc$def']) {
      const error = thrown(() => importSecret(secret, 'whsec', 'secret'));
      expect([error.status, error.code], JSON.stringify(secret)).toEqual([500, 'misconfigured']);
      expect(error.message).toContain('`secret`');
      expect(error.message).not.toContain(secret.slice('whsec_'.length).trim());
    }
  });
});

describe("importSecret(secret, 'utf8' | 'hex' | 'base64')", () => {
  it("'utf8' uses the whole string's UTF-8 bytes, a Stripe whsec_ prefix included", () => {
    expect(importSecret('whsec_test_secret', 'utf8').export().toString('utf8')).toBe('whsec_test_secret');
    expect(importSecret('clé', 'utf8').export().toString('hex')).toBe(Buffer.from('clé', 'utf8').toString('hex'));
  });

  it("'hex' and 'base64' decode strictly", () => {
    expect(secretHex(importSecret('00ff', 'hex'))).toBe('00ff');
    expect(secretHex(importSecret('AP8=', 'base64'))).toBe('00ff');
    expect(codeOf(() => importSecret('0g', 'hex'))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => importSecret('A', 'base64'))).toEqual([500, 'misconfigured']);
  });

  it('an empty secret in any format → misconfigured 500', () => {
    for (const format of ['utf8', 'hex', 'base64', 'whsec'] as const) {
      expect(codeOf(() => importSecret('', format)), format).toEqual([500, 'misconfigured']);
    }
  });

  it('bytes are used as they are; empty bytes → misconfigured 500', () => {
    expect(secretHex(importSecret(Uint8Array.from([1, 2, 3]), 'whsec'))).toBe('010203');
    expect(codeOf(() => importSecret(new Uint8Array(0), 'utf8'))).toEqual([500, 'misconfigured']);
  });

  it('a value that is neither string nor bytes → misconfigured 500 (e.g. an unset env var read as undefined)', () => {
    for (const value of [undefined, null, 42, {}]) {
      expect(codeOf(() => importSecret(value as never, 'utf8')), String(value)).toEqual([500, 'misconfigured']);
    }
  });
});

describe('importSecrets()', () => {
  it('imports one secret or a rotation list, in order', () => {
    expect(importSecrets('a', 'utf8').map(secretHex)).toEqual(['61']);
    expect(importSecrets(['a', 'b'], 'utf8').map(secretHex)).toEqual(['61', '62']);
  });

  it('undefined, an empty list, or a list holding an empty secret → misconfigured 500', () => {
    expect(codeOf(() => importSecrets(undefined, 'utf8'))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => importSecrets([], 'utf8'))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => importSecrets(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_'], 'whsec'))).toEqual([500, 'misconfigured']);
  });

  it('names the option in the message', () => {
    expect(thrown(() => importSecrets(undefined, 'utf8', 'signingSecret')).message).toContain('`signingSecret`');
  });
});

describe('importPublicKey()', () => {
  const forms: [string, string | Uint8Array][] = [
    ['whpk_<base64>', `whpk_${PUBLIC.toString('base64')}`],
    ['64 hex characters', PUBLIC_HEX],
    ['64 upper-case hex characters', PUBLIC_HEX.toUpperCase()],
    ['bare base64', PUBLIC.toString('base64')],
    ['unpadded base64', PUBLIC.toString('base64').replace(/=+$/, '')],
    ['base64url', PUBLIC.toString('base64url')],
    ['the 32 bytes', Uint8Array.from(PUBLIC)],
  ];
  for (const [name, key] of forms) {
    it(`imports ${name}`, () => {
      const imported = importPublicKey(key) as { raw: Uint8Array; keyObject: KeyObject };
      expect(Buffer.from(imported.raw).toString('hex')).toBe(PUBLIC_HEX);
      expect(imported.keyObject.asymmetricKeyType).toBe('ed25519');
      expect(imported.keyObject.type).toBe('public');
      expect(imported.keyObject.export({ format: 'jwk' }).x).toBe(PUBLIC.toString('base64url'));
    });
  }

  const wrong: [string, string | Uint8Array][] = [
    ['31 bytes of hex (62 characters)', PUBLIC_HEX.slice(0, 62)],
    ['33 bytes of base64', `whpk_${Buffer.concat([PUBLIC, Buffer.from([0])]).toString('base64')}`],
    ['64 bytes of hex (a secret key, not a public key)', SEED_HEX + PUBLIC_HEX],
    ['31 raw bytes', new Uint8Array(31)],
    ['"whpk_" alone', 'whpk_'],
    ['an empty string', ''],
    ['text that is neither hex nor base64', 'not a key!'],
  ];
  for (const [name, key] of wrong) {
    it(`${name} → misconfigured 500`, () => {
      expect(codeOf(() => importPublicKey(key))).toEqual([500, 'misconfigured']);
    });
  }

  it('importPublicKeys() takes a rotation list; an empty one → misconfigured 500', () => {
    expect(importPublicKeys([PUBLIC_HEX, `whpk_${PUBLIC.toString('base64')}`]).map((key) => Buffer.from(key.raw).toString('hex'))).toEqual([PUBLIC_HEX, PUBLIC_HEX]);
    expect(codeOf(() => importPublicKeys([]))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => importPublicKeys(undefined))).toEqual([500, 'misconfigured']);
  });
});

describe('importPublicKey(): small-order points are refused (#6)', () => {
  const IDENTITY = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
  // R = the identity, S = 0: [S]B = R + [k]A holds for every message when A is the identity.
  const TRIVIAL_SIGNATURE = Buffer.concat([IDENTITY, Buffer.alloc(32)]);

  it('the identity key would accept a trivial signature of any message on both backends, which is why it is refused', () => {
    const keyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: IDENTITY.toString('base64url') }, format: 'jwk' });
    for (const message of ['{"type":"forged"}', 'anything at all']) {
      expect(nodeVerify(null, Buffer.from(message), keyObject, TRIVIAL_SIGNATURE)).toBe(true);
      expect(nacl.sign.detached.verify(Buffer.from(message), TRIVIAL_SIGNATURE, IDENTITY)).toBe(true);
    }
  });

  it('importPublicKey(01 followed by 31 zero bytes, the identity) → misconfigured 500, in every form', () => {
    for (const key of [IDENTITY, IDENTITY.toString('hex'), `whpk_${IDENTITY.toString('base64')}`]) {
      const error = thrown(() => importPublicKey(key));
      expect([error.status, error.code]).toEqual([500, 'misconfigured']);
      expect(error.message).toContain('small-order');
    }
  });

  it('providers.discord / standardWebhooks / ed25519 with the identity key → misconfigured at construction, not a forgery later', () => {
    const hex = IDENTITY.toString('hex');
    expect(codeOf(() => providers.discord({ publicKey: hex }))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => providers.standardWebhooks({ publicKey: `whpk_${IDENTITY.toString('base64')}` }))).toEqual([500, 'misconfigured']);
    expect(codeOf(() => providers.ed25519({ publicKey: hex, signatureHeader: 'x-sig' }))).toEqual([500, 'misconfigured']);
    // A rotation list is refused whole: one bad key among good ones would still open the door.
    expect(codeOf(() => providers.discord({ publicKey: [PUBLIC_HEX, hex] }))).toEqual([500, 'misconfigured']);
  });

  // libsodium's has_small_order list: all eight small-order points, y = p and p + 1, with either sign bit.
  const SMALL_ORDER = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ];
  for (const hex of SMALL_ORDER) {
    for (const signBit of [0, 0x80]) {
      const raw = Buffer.from(hex, 'hex');
      raw[31] = (raw[31] as number) | signBit;
      it(`importPublicKey(${raw.toString('hex').slice(0, 8)}…${raw.toString('hex').slice(-4)}) → misconfigured 500`, () => {
        expect(codeOf(() => importPublicKey(raw))).toEqual([500, 'misconfigured']);
      });
    }
  }

  it('real public keys (RFC 8032 §7.1, a generated one) are still imported', () => {
    expect(() => importPublicKey(PUBLIC)).not.toThrow();
    const generated = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(1)).publicKey;
    expect(() => importPublicKey(generated)).not.toThrow();
  });
});

describe('importPrivateKey()', () => {
  const SECRET_KEY = Buffer.concat([SEED, PUBLIC]); // tweetnacl's 64-byte secretKey: seed ‖ public key

  const forms: [string, string | Uint8Array][] = [
    ['a 32-byte seed in hex', SEED_HEX],
    ['a 32-byte seed in base64', SEED.toString('base64')],
    ['whsk_<base64 of the 32-byte seed>', `whsk_${SEED.toString('base64')}`],
    ['a 64-byte seed‖public key in hex', SECRET_KEY.toString('hex')],
    ['whsk_<base64 of the 64-byte seed‖public key>', `whsk_${SECRET_KEY.toString('base64')}`],
    ['the 32 seed bytes', Uint8Array.from(SEED)],
    ['the 64 secret-key bytes', Uint8Array.from(SECRET_KEY)],
  ];
  for (const [name, key] of forms) {
    it(`imports ${name} as the RFC 8032 seed`, () => {
      const imported = importPrivateKey(key) as { seed: Uint8Array; keyObject: KeyObject };
      expect(Buffer.from(imported.seed).toString('hex')).toBe(SEED_HEX);
      const jwk = imported.keyObject.export({ format: 'jwk' });
      expect([imported.keyObject.type, imported.keyObject.asymmetricKeyType]).toEqual(['private', 'ed25519']);
      expect(jwk.d).toBe(SEED.toString('base64url'));
      expect(jwk.x).toBe(PUBLIC.toString('base64url'));
    });
  }

  const wrong: [string, string | Uint8Array][] = [
    ['48 bytes', Buffer.alloc(48, 1).toString('base64')],
    ['31 bytes', new Uint8Array(31)],
    ['an empty string', ''],
    ['"whsk_" alone', 'whsk_'],
    ['a 64-byte key whose public half does not belong to its seed', Buffer.concat([SEED, Buffer.alloc(32, 7)]).toString('hex')],
  ];
  for (const [name, key] of wrong) {
    it(`${name} → misconfigured 500`, () => {
      expect(codeOf(() => importPrivateKey(key))).toEqual([500, 'misconfigured']);
    });
  }
});
