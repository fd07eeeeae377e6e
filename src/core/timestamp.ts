import { WebhookError } from './errors.js';
import { kindOf } from './describe-value.js';

/**
 * Parses a unix-seconds header strictly: 1 to 15 ASCII digits only (no sign, space, decimal or
 * exponent). Read digit by digit: on every request, a regex test then Number() cost more than
 * the loop, and 15 digits stay exact in a double.
 */
export function parseUnixSeconds(text: string, headerName: string): number {
  const length = text.length;
  let value = length > 0 && length <= 15 ? 0 : -1;
  for (let i = 0; i < length && value >= 0; i++) {
    const digit = text.charCodeAt(i) - 48;
    value = digit >= 0 && digit <= 9 ? value * 10 + digit : -1;
  }
  if (value < 0) {
    throw new WebhookError('malformed_header', `The ${headerName} header must be a unix timestamp in seconds (ASCII digits).`);
  }
  return value;
}

const MILLIS = /^[0-9]{1,16}$/;

/**
 * Parses a unix-milliseconds value (HubSpot's header, Linear's body field) strictly, as unix seconds (fractional).
 *
 * @example
 * parseUnixMilliseconds('1735700000123', 'x-hubspot-request-timestamp') // 1735700000.123
 */
export function parseUnixMilliseconds(text: string, headerName: string): number {
  if (!MILLIS.test(text)) {
    throw new WebhookError('malformed_header', `The ${headerName} header must be a unix timestamp in milliseconds (ASCII digits).`);
  }
  return Number(text) / 1000;
}

/**
 * Unix seconds as unix milliseconds text (HubSpot's `X-HubSpot-Request-Timestamp`).
 *
 * @example
 * formatUnixMilliseconds(1735700000) // '1735700000000'
 */
export function formatUnixMilliseconds(seconds: number): string {
  return String(Math.round(seconds * 1000));
}

// RFC 3339 `date-time` (an ISO 8601 profile): full date, `T`, full time, optional fraction, `Z` or ±hh:mm.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an RFC 3339 date-time (`2021-03-25T05:09:27Z`, Twitch's `2019-11-16T10:11:12.634234626Z`)
 * strictly, as unix seconds (fractional to the millisecond). A date that does not exist
 * (`2021-02-30`), a missing zone, or any other shape is `malformed_header`.
 *
 * @example
 * parseRfc3339('2019-11-16T10:11:12.634234626Z', 'twitch-eventsub-message-timestamp') // 1573899072.634
 */
export function parseRfc3339(text: string, headerName: string): number {
  const match = RFC3339.exec(text);
  const malformed = () => new WebhookError('malformed_header', `The ${headerName} header must be an RFC 3339 date-time (e.g. 2021-03-25T05:09:27Z).`);
  if (!match) throw malformed();
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = Number(((match[7] ?? '') + '000').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(utc);
  // Date.UTC rolls over (Feb 30 → Mar 2, 24:00 → next day): a value that does not round-trip never existed.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw malformed();
  }
  let offsetMinutes = 0;
  if (match[9] !== undefined) {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) throw malformed();
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return (utc - offsetMinutes * 60_000) / 1000;
}

/**
 * Unix seconds as RFC 3339 in UTC, to the millisecond when there is a fraction.
 *
 * @example
 * formatRfc3339(1735700000) // '2025-01-01T02:53:20Z'
 */
export function formatRfc3339(seconds: number): string {
  const iso = new Date(Math.round(seconds * 1000)).toISOString();
  return Number.isInteger(seconds) ? iso.replace('.000Z', 'Z') : iso;
}

/**
 * The replay window: inclusive and two-sided, |now - timestamp| <= toleranceSeconds.
 * `toleranceSeconds: Infinity` is how a caller explicitly turns the check off. A `now` that is
 * not a finite number, or a window that is not > 0 (NaN compares false both ways, which would
 * silently pass every delivery), is a developer error: `misconfigured`.
 */
export function checkTimestamp(timestamp: number, now: number, toleranceSeconds: number): void {
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new WebhookError('misconfigured', `\`now\` must be the current time in unix seconds (a finite number); got ${kindOf(now)}.`);
  }
  if (typeof toleranceSeconds !== 'number' || !(toleranceSeconds > 0)) {
    throw new WebhookError('misconfigured', `\`toleranceSeconds\` must be a number of seconds > 0 (Infinity turns the check off explicitly); got ${kindOf(toleranceSeconds)}.`);
  }
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
