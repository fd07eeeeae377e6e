import { WebhookError } from './errors.js';

const DIGITS = /^[0-9]{1,15}$/;

/** Parses a unix-seconds header strictly: ASCII digits only (no sign, space, decimal or exponent). */
export function parseUnixSeconds(text: string, headerName: string): number {
  if (!DIGITS.test(text)) {
    throw new WebhookError('malformed_header', `The ${headerName} header must be a unix timestamp in seconds (ASCII digits).`);
  }
  return Number(text);
}

/**
 * The replay window: inclusive and two-sided, |now - timestamp| <= toleranceSeconds.
 * `toleranceSeconds: Infinity` is how a caller explicitly turns the check off.
 */
export function checkTimestamp(timestamp: number, now: number, toleranceSeconds: number): void {
  if (now - timestamp > toleranceSeconds) {
    throw new WebhookError(
      'timestamp_too_old',
      `The delivery's timestamp is more than ${toleranceSeconds}s old: a replay, or a clock out of sync.`,
    );
  }
  if (timestamp - now > toleranceSeconds) {
    throw new WebhookError(
      'timestamp_in_future',
      `The delivery's timestamp is more than ${toleranceSeconds}s in the future: check the server clock.`,
    );
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
