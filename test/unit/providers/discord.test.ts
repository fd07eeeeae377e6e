import { Buffer } from 'node:buffer';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { discord } from '../../../src/providers/discord.js';
import { expectWebhookError, NOW, sampleBodies, tamper } from './support.js';

// The oracle: tweetnacl (what discord-interactions uses) signs and verifies
// hex(Ed25519(timestamp + body)) with the application's key pair.
const APP = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));
const OTHER_APP = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(9));
const PUBLIC_KEY = Buffer.from(APP.publicKey).toString('hex');
const OTHER_PUBLIC_KEY = Buffer.from(OTHER_APP.publicKey).toString('hex');
const COMMAND = JSON.stringify({ id: '1180000000000000006', application_id: '1', type: 2, data: { name: 'greet', options: [{ value: 'Zoë 🎉' }] } });

function naclSign(body: string | Uint8Array, timestamp: string | number = NOW, secretKey = APP.secretKey): string {
  const message = Buffer.concat([Buffer.from(String(timestamp)), Buffer.from(body)]);
  return Buffer.from(nacl.sign.detached(message, secretKey)).toString('hex');
}

/** `timestamp: null` leaves the timestamp header out. */
function headersFor(signature: string | undefined, timestamp: string | null = String(NOW)): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (signature !== undefined) headers['X-Signature-Ed25519'] = signature;
  if (timestamp !== null) headers['X-Signature-Timestamp'] = timestamp;
  return headers;
}

function verify(signature: string | undefined, body: string | Uint8Array = COMMAND, now = NOW, provider = discord({ publicKey: PUBLIC_KEY }), timestamp: string | null = String(NOW)) {
  return provider.verify({ headers: headersFor(signature, timestamp), body, now });
}

describe('discord.verify(): accepts what tweetnacl signs', () => {
  for (const { name, body } of sampleBodies({ id: '1', type: 2 })) {
    it(`discord.verify(): ${name} → verified, rawBody is the exact bytes`, () => {
      const bytes = Buffer.from(body, 'utf8');
      const verified = verify(naclSign(body), bytes);
      expect(verified.timestamp).toBe(NOW);
      expect(Buffer.compare(Buffer.from(verified.rawBody), bytes)).toBe(0);
    });
  }

  it('discord(): the public key as base64 or raw bytes works as well as hex', () => {
    for (const publicKey of [Buffer.from(APP.publicKey).toString('base64'), APP.publicKey]) {
      expect(() => verify(naclSign(COMMAND), COMMAND, NOW, discord({ publicKey }))).not.toThrow();
    }
  });
});

describe('discord.verify(): rejections', () => {
  it('discord.verify(): one byte of the body changed → signature_mismatch', () => {
    for (const { body } of sampleBodies({ id: '1', type: 2 })) {
      expectWebhookError(() => verify(naclSign(body), tamper(body)), 'signature_mismatch');
    }
  });

  it("discord.verify(): signed by another application's key → signature_mismatch", () => {
    expectWebhookError(() => verify(naclSign(COMMAND, NOW, OTHER_APP.secretKey)), 'signature_mismatch');
  });

  it('discord.verify(): X-Signature-Timestamp changed by 1 s (it is signed) → signature_mismatch', () => {
    expectWebhookError(() => verify(naclSign(COMMAND), COMMAND, NOW, undefined, String(NOW + 1)), 'signature_mismatch');
  });

  it('discord.verify(): "deadbeef" (not a 64-byte signature) → signature_mismatch', () => {
    expectWebhookError(() => verify('deadbeef'), 'signature_mismatch');
  });

  it('discord.verify(): no X-Signature-Ed25519 → missing_header', () => {
    expectWebhookError(() => verify(undefined), 'missing_header');
  });

  it('discord.verify(): no X-Signature-Timestamp → missing_header', () => {
    expectWebhookError(() => verify(naclSign(COMMAND), COMMAND, NOW, undefined, null), 'missing_header');
  });

  it('discord.verify(): X-Signature-Timestamp not ASCII digits → malformed_header', () => {
    expectWebhookError(() => verify(naclSign(COMMAND, 'soon'), COMMAND, NOW, undefined, 'soon'), 'malformed_header');
  });
});

describe('discord(): rotation and options', () => {
  it('discord.verify(): publicKey: [other, signing] (rotation) → verified', () => {
    const provider = discord({ publicKey: [OTHER_PUBLIC_KEY, PUBLIC_KEY] });
    expect(() => verify(naclSign(COMMAND), COMMAND, NOW, provider)).not.toThrow();
    expect(() => verify(naclSign(COMMAND, NOW, OTHER_APP.secretKey), COMMAND, NOW, provider)).not.toThrow();
  });

  it('discord(): publicKey "" / missing / 31 bytes / not hex or base64 → throws misconfigured naming `publicKey`', () => {
    for (const options of [{ publicKey: '' }, {}, { publicKey: 'ab'.repeat(31) }, { publicKey: 'zz!' }]) {
      const error = expectWebhookError(() => discord(options as never), 'misconfigured');
      expect(error.message).toContain('`publicKey`');
    }
  });
});

describe('discord.verify(): replay window', () => {
  const signature = naclSign(COMMAND);

  it('discord.verify(): timestamp exactly 300 s old → verified', () => {
    expect(verify(signature, COMMAND, NOW + 300).timestamp).toBe(NOW);
  });

  it('discord.verify(): timestamp 301 s old → timestamp_too_old', () => {
    expectWebhookError(() => verify(signature, COMMAND, NOW + 301), 'timestamp_too_old');
  });

  it('discord.verify(): timestamp 301 s in the future → timestamp_in_future', () => {
    expectWebhookError(() => verify(signature, COMMAND, NOW - 301), 'timestamp_in_future');
  });

  it('discord.verify(): toleranceSeconds: 5 → 5 s old verified, 6 s old timestamp_too_old', () => {
    const provider = discord({ publicKey: PUBLIC_KEY, toleranceSeconds: 5 });
    expect(() => verify(signature, COMMAND, NOW + 5, provider)).not.toThrow();
    expectWebhookError(() => verify(signature, COMMAND, NOW + 6, provider), 'timestamp_too_old');
  });

  it('discord(): toleranceSeconds 0 or negative → throws misconfigured naming the option', () => {
    for (const toleranceSeconds of [0, -5]) {
      const error = expectWebhookError(() => discord({ publicKey: PUBLIC_KEY, toleranceSeconds }), 'misconfigured');
      expect(error.message).toContain('toleranceSeconds');
    }
  });
});

describe('discord.parse() and handshake', () => {
  const provider = discord({ publicKey: PUBLIC_KEY });
  const receive = (payload: unknown) => {
    const body = JSON.stringify(payload);
    const verified = verify(naclSign(body), body);
    const parsed = provider.parse(verified);
    return { parsed, handshake: provider.handshake?.(parsed, verified) };
  };

  it.each([
    [1, 'PING'],
    [2, 'APPLICATION_COMMAND'],
    [3, 'MESSAGE_COMPONENT'],
    [4, 'APPLICATION_COMMAND_AUTOCOMPLETE'],
    [5, 'MODAL_SUBMIT'],
  ])('discord.parse(): interaction type %i → type %s, id = payload.id', (type, name) => {
    expect(receive({ id: '42', type }).parsed).toMatchObject({ id: '42', type: name });
  });

  it('discord.parse(): an unknown interaction type number → no type', () => {
    expect(receive({ id: '42', type: 99 }).parsed.type).toBeUndefined();
  });

  it('discord.parse(): webhook event → type = event.type; no handshake', () => {
    const { parsed, handshake } = receive({ version: 1, application_id: '1', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: {} } });
    expect(parsed.type).toBe('APPLICATION_AUTHORIZED');
    expect(handshake).toBeUndefined();
  });

  it('discord.handshake(): verified interaction PING (type 1) → 200 exactly {"type":1}', () => {
    const { handshake } = receive({ id: '1', application_id: '1', type: 1, version: 1 });
    expect(handshake?.status).toBe(200);
    expect(handshake?.body).toBe('{"type":1}');
    expect(handshake?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('discord.handshake(): verified webhook-event PING (type 0, no event) → 204 with an empty body', () => {
    const { parsed, handshake } = receive({ version: 1, application_id: '1', type: 0 });
    expect(parsed.type).toBe('PING');
    expect(handshake).toEqual({ status: 204, headers: {}, body: '' });
  });

  it('discord.handshake(): APPLICATION_COMMAND → undefined (handlers answer it)', () => {
    expect(receive({ id: '1', type: 2 }).handshake).toBeUndefined();
  });

  it('discord: a PING with a wrong signature → signature_mismatch before any handshake', () => {
    const body = '{"type":1}';
    expectWebhookError(() => verify(naclSign(body, NOW, OTHER_APP.secretKey), body), 'signature_mismatch');
  });
});

describe('discord.sign()', () => {
  it('discord.sign() with privateKey → accepted by discord.verify() and by tweetnacl.sign.detached.verify', () => {
    for (const privateKey of [Buffer.from(APP.secretKey.subarray(0, 32)).toString('hex'), APP.secretKey]) {
      const provider = discord({ publicKey: PUBLIC_KEY, privateKey });
      for (const { body } of sampleBodies({ id: '1', type: 2 })) {
        const signed = provider.sign({ body, timestamp: NOW });
        expect(signed.headers['x-signature-timestamp']).toBe(String(NOW));
        expect(signed.headers['content-type']).toBe('application/json');
        const signature = Buffer.from(signed.headers['x-signature-ed25519'] as string, 'hex');
        expect(nacl.sign.detached.verify(Buffer.from(`${NOW}${body}`), signature, APP.publicKey)).toBe(true);
        expect(provider.verify({ headers: signed.headers, body: signed.body, now: NOW }).timestamp).toBe(NOW);
      }
    }
  });

  it('discord.sign() without privateKey → throws misconfigured (only Discord holds it)', () => {
    expectWebhookError(() => discord({ publicKey: PUBLIC_KEY }).sign({ body: '{}' }), 'misconfigured');
  });
});

describe('discord.parse(): interactions take the handler’s return value as the reply, webhook events do not (#13)', () => {
  const provider = discord({ publicKey: PUBLIC_KEY });
  const parse = (body: string) => provider.parse({ rawBody: Buffer.from(body), headers: {} });

  it('an APPLICATION_COMMAND interaction → expectsReply true', () => {
    expect(parse(COMMAND).expectsReply).toBe(true);
  });

  it('a webhook event → expectsReply undefined, and acknowledge() is 204 with no body', () => {
    const parsed = parse(JSON.stringify({ version: 1, application_id: '1', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: {} } }));
    expect(parsed.expectsReply).toBeUndefined();
    expect(provider.acknowledge?.(parsed)).toEqual({ status: 204, headers: {}, body: '' });
  });
});
