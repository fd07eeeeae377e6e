import { describe, expect, it } from 'vitest';
import { formatRfc3339, formatUnixMilliseconds, parseRfc3339, parseUnixMilliseconds } from '../../../src/core/timestamp.js';
import { expectWebhookError } from '../providers/support.js';

describe('parseUnixMilliseconds()', () => {
  it('parseUnixMilliseconds(): ASCII digits → unix seconds, fraction kept', () => {
    expect(parseUnixMilliseconds('1735700000000', 'x-ts')).toBe(1_735_700_000);
    expect(parseUnixMilliseconds('1735700000123', 'x-ts')).toBe(1_735_700_000.123);
  });

  for (const text of ['', '-1', '+1', '1.5', '1e12', ' 1', '1 ', '0x10', '12345678901234567']) {
    it(`parseUnixMilliseconds(${JSON.stringify(text)}) → malformed_header naming the header`, () => {
      expect(expectWebhookError(() => parseUnixMilliseconds(text, 'X-HubSpot-Request-Timestamp'), 'malformed_header').message).toContain('X-HubSpot-Request-Timestamp');
    });
  }
});

describe('parseRfc3339()', () => {
  it('parseRfc3339(): Z, lower-case t/z, a fraction up to nanoseconds (kept to the ms), and ±hh:mm offsets', () => {
    expect(parseRfc3339('2021-03-25T05:09:27Z', 'h')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27) / 1000);
    expect(parseRfc3339('2021-03-25t05:09:27z', 'h')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27) / 1000);
    expect(parseRfc3339('2019-11-16T10:11:12.634234626Z', 'h')).toBe(Date.UTC(2019, 10, 16, 10, 11, 12, 634) / 1000);
    expect(parseRfc3339('2019-11-16T10:11:12.6Z', 'h')).toBe(Date.UTC(2019, 10, 16, 10, 11, 12, 600) / 1000);
    expect(parseRfc3339('2021-03-25T07:09:27+02:00', 'h')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27) / 1000);
    expect(parseRfc3339('2021-03-24T23:39:27-05:30', 'h')).toBe(Date.UTC(2021, 2, 25, 5, 9, 27) / 1000);
    expect(parseRfc3339('2024-02-29T00:00:00Z', 'h')).toBe(Date.UTC(2024, 1, 29) / 1000);
  });

  const malformed = [
    '', '1735700000', '2021-03-25', '2021-03-25T05:09:27', '2021-03-25 05:09:27Z', '2021-3-25T05:09:27Z', '2021-03-25T05:09Z',
    '2021-03-25T05:09:27.Z', '2021-03-25T05:09:27.1234567890Z', '2023-02-29T00:00:00Z', '2021-04-31T00:00:00Z', '2021-13-01T00:00:00Z',
    '2021-03-25T24:00:00Z', '2021-03-25T23:60:00Z', '2021-03-25T23:59:60Z', '2021-03-25T05:09:27+0200', '2021-03-25T05:09:27+24:00',
    ' 2021-03-25T05:09:27Z', '2021-03-25T05:09:27Z\n', 'Thu, 25 Mar 2021 05:09:27 GMT', '２０２１-03-25T05:09:27Z',
  ];
  for (const text of malformed) {
    it(`parseRfc3339(${JSON.stringify(text)}) → malformed_header`, () => {
      expectWebhookError(() => parseRfc3339(text, 'Twitch-Eventsub-Message-Timestamp'), 'malformed_header');
    });
  }
});

describe('formatRfc3339() / formatUnixMilliseconds()', () => {
  it('formatRfc3339(): whole seconds without a fraction, otherwise to the ms; both round-trip through parseRfc3339()', () => {
    expect(formatRfc3339(1_735_700_000)).toBe('2025-01-01T02:53:20Z');
    expect(formatRfc3339(1_735_700_000.25)).toBe('2025-01-01T02:53:20.250Z');
    for (const seconds of [0, 1_735_700_000, 1_735_700_000.25]) expect(parseRfc3339(formatRfc3339(seconds), 'h')).toBe(seconds);
  });

  it('formatUnixMilliseconds(): seconds → integer ms text, round-tripping through parseUnixMilliseconds()', () => {
    expect(formatUnixMilliseconds(1_735_700_000)).toBe('1735700000000');
    expect(parseUnixMilliseconds(formatUnixMilliseconds(1_735_700_000.5), 'h')).toBe(1_735_700_000.5);
  });
});
