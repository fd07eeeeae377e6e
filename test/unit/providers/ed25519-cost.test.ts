/**
 * CPU per forged Ed25519 request (#13 item 3), measured with process.cpuUsage() around
 * receive(): 10 `v1a` candidates × 3 keys over a 1 MiB body cost 136 ms before the cap.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../src/providers/index.js';
import { MAX_VERIFICATIONS } from '../../../src/providers/signature-check.js';
import { createReceiver } from '../../../src/receiver/create-receiver.js';
import { generateEd25519KeyPair } from '../../../src/testing/index.js';

const keys = [generateEd25519KeyPair(), generateEd25519KeyPair(), generateEd25519KeyPair()];
const receiver = createReceiver({ provider: providers.standardWebhooks({ publicKey: keys.map((k) => k.publicKey) }) });
const body = Buffer.alloc(1024 * 1024, 0x61);
const ROUNDS = 10;
/** At the cap: 6 verifications over 1 MiB ; room for a loaded 2-core machine. */
const AT_CAP_LIMIT_MS = 30;
/** Refused on the header alone: no verification at all. */
const REFUSED_LIMIT_MS = 5;

function forged(candidates: number, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = Array.from({ length: candidates }, () => `v1a,${randomBytes(64).toString('base64')}`).join(' ');
  return { 'webhook-id': `msg_${randomBytes(4).toString('hex')}`, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

/** Mean CPU milliseconds (user + system) per receive() of `headers` over the 1 MiB body, and the codes answered. */
async function cpuPerRequest(headers: () => Record<string, string>): Promise<{ ms: number; answers: Set<string> }> {
  const answers = new Set<string>();
  const start = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) {
    const result = await receiver.receive({ method: 'POST', headers: headers(), body });
    answers.add(`${result.status} ${(JSON.parse(result.body) as { error?: { code?: string } }).error?.code}`);
  }
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000 / ROUNDS, answers };
}

describe('Ed25519 work per forged request is bounded (#13 item 3)', () => {
  it(`10 v1a candidates × 3 keys over 1 MiB → [400, malformed_header] for < ${REFUSED_LIMIT_MS} ms of CPU each`, async () => {
    const { ms, answers } = await cpuPerRequest(() => forged(10));
    console.log(`ed25519: 10 candidates × 3 keys, 1 MiB: ${ms.toFixed(2)} ms CPU per forged request (limit ${REFUSED_LIMIT_MS})`);
    expect([...answers]).toEqual(['400 malformed_header']);
    expect(ms).toBeLessThan(REFUSED_LIMIT_MS);
  });

  it(`a stale timestamp with 2 candidates × 3 keys → [401, timestamp_too_old] before any verification, < ${REFUSED_LIMIT_MS} ms each`, async () => {
    const { ms, answers } = await cpuPerRequest(() => forged(2, Math.floor(Date.now() / 1000) - 3600));
    console.log(`ed25519: stale timestamp, 1 MiB: ${ms.toFixed(2)} ms CPU per forged request (limit ${REFUSED_LIMIT_MS})`);
    expect([...answers]).toEqual(['401 timestamp_too_old']);
    expect(ms).toBeLessThan(REFUSED_LIMIT_MS);
  });

  it(`at the cap (2 candidates × 3 keys = ${MAX_VERIFICATIONS} verifications) over 1 MiB → [401, signature_mismatch] for < ${AT_CAP_LIMIT_MS} ms each`, async () => {
    expect(MAX_VERIFICATIONS).toBe(6);
    const { ms, answers } = await cpuPerRequest(() => forged(2));
    console.log(`ed25519: 2 candidates × 3 keys (the cap), 1 MiB: ${ms.toFixed(2)} ms CPU per forged request (limit ${AT_CAP_LIMIT_MS})`);
    expect([...answers]).toEqual(['401 signature_mismatch']);
    expect(ms).toBeLessThan(AT_CAP_LIMIT_MS);
  });
});
