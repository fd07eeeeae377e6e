import { Buffer } from 'node:buffer';
import { expect } from 'vitest';
import { ERROR_STATUS, isWebhookError, type WebhookError, type WebhookErrorCode } from '../../../src/core/errors.js';

/** The injected clock for every provider test: no test reads the wall clock. */
export const NOW = 1_735_700_000;

export const MIB = 1024 * 1024;

/**
 * Runs `fn` and asserts it threw a WebhookError with exactly this code and the status DESIGN's
 * table gives it (asserted together, as body-parser's tests do). Returns the error for more checks.
 */
export function expectWebhookError(fn: () => unknown, code: WebhookErrorCode): WebhookError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isWebhookError(thrown), `expected WebhookError ${code}, got ${String(thrown)}`).toBe(true);
  const error = thrown as WebhookError;
  expect([error.status, error.code]).toEqual([ERROR_STATUS[code], code]);
  return error;
}

/**
 * The three bodies every preset must verify byte for byte: non-ASCII text (emoji, accents, CJK),
 * a CRLF/tab-heavy body a proxy might "normalise", and a body of exactly 1 MiB.
 */
export function sampleBodies(fields: Record<string, unknown>): { name: string; body: string }[] {
  const unicode = JSON.stringify({ ...fields, note: 'Zoë naïve café — Ångström 🎉👩‍💻 日本語 ✓ Zürich' });
  const whitespace = `${JSON.stringify({ ...fields, note: 'tab\there\r\nline' }, null, '\t').replaceAll('\n', '\r\n')}\r\n\t \r\n`;
  const head = JSON.stringify({ ...fields, filler: '' });
  const large = `${head.slice(0, -2)}${'x'.repeat(MIB - head.length)}"}`;
  return [
    { name: 'a unicode body (emoji, accents)', body: unicode },
    { name: 'a CRLF/tab-heavy body', body: whitespace },
    { name: 'a 1 MiB body', body: large },
  ];
}

/** The same bytes with exactly one byte changed (in the middle). */
export function tamper(body: string | Uint8Array): Buffer {
  const bytes = Buffer.from(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return bytes;
}
