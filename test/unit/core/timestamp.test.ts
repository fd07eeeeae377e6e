import { describe, expect, it } from 'vitest';
import { codeOf } from '../../helpers/webhook-error.js';
import { checkTimestamp, parseUnixSeconds } from '../../../src/core/timestamp.js';


describe('parseUnixSeconds()', () => {
  it('parses ASCII digits as unix seconds', () => {
    expect(parseUnixSeconds('1614265330', 'webhook-timestamp')).toBe(1614265330);
    expect(parseUnixSeconds('0', 'webhook-timestamp')).toBe(0);
  });

  for (const text of ['+1', '-1', ' 1', '1 ', '1.0', '1e3', '', '0x10', '1_000', 'hello', '１２', '١٢', '1614265330\n', 'Infinity', 'NaN']) {
    it(`parseUnixSeconds(${JSON.stringify(text)}) → malformed_header 400`, () => {
      expect(codeOf(() => parseUnixSeconds(text, 'webhook-timestamp'))).toEqual([400, 'malformed_header']);
    });
  }

  it('refuses a value too long to be an exact number of seconds → malformed_header', () => {
    expect(codeOf(() => parseUnixSeconds('99999999999999999999', 'x-ts'))).toEqual([400, 'malformed_header']);
  });

  it('names the header in its message', () => {
    expect(() => parseUnixSeconds('soon', 'X-Slack-Request-Timestamp')).toThrow(/X-Slack-Request-Timestamp/);
  });
});

describe('checkTimestamp()', () => {
  const now = 1_700_000_000;

  it('passes at the edges of the window: exactly tolerance old and exactly tolerance ahead', () => {
    expect(() => checkTimestamp(now - 300, now, 300)).not.toThrow();
    expect(() => checkTimestamp(now + 300, now, 300)).not.toThrow();
    expect(() => checkTimestamp(now, now, 300)).not.toThrow();
  });

  it('one second older than the window → timestamp_too_old 401', () => {
    expect(codeOf(() => checkTimestamp(now - 301, now, 300))).toEqual([401, 'timestamp_too_old']);
  });

  it('one second further ahead than the window → timestamp_in_future 401', () => {
    expect(codeOf(() => checkTimestamp(now + 301, now, 300))).toEqual([401, 'timestamp_in_future']);
  });

  it('uses the tolerance it is given', () => {
    expect(() => checkTimestamp(now - 5, now, 5)).not.toThrow();
    expect(codeOf(() => checkTimestamp(now - 6, now, 5))).toEqual([401, 'timestamp_too_old']);
    expect(codeOf(() => checkTimestamp(now + 6, now, 5))).toEqual([401, 'timestamp_in_future']);
  });

  it('toleranceSeconds: Infinity turns the check off, both ways', () => {
    expect(() => checkTimestamp(0, now, Infinity)).not.toThrow();
    expect(() => checkTimestamp(now * 10, now, Infinity)).not.toThrow();
  });

  // Found by the property tests of #6: NaN compares false both ways, so a NaN `now` or window silently passed every delivery.
  it.each([Number.NaN, Infinity, -Infinity, '1700000000' as unknown as number])('checkTimestamp(now: %s) → misconfigured 500, never a silent pass (#6)', (bad) => {
    expect(codeOf(() => checkTimestamp(now - 10_000, bad, 300))).toEqual([500, 'misconfigured']);
  });

  it.each([Number.NaN, 0, -1])('checkTimestamp(toleranceSeconds: %s) → misconfigured 500 (#6)', (bad) => {
    expect(codeOf(() => checkTimestamp(now - 10_000, now, bad))).toEqual([500, 'misconfigured']);
  });
});
