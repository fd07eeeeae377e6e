import { describe, expect, it } from 'vitest';
import { publicUrl, toggleDefaultPort, validatePublicUrlOption } from '../../../src/providers/public-url.js';
import { expectWebhookError } from './support.js';

describe('toggleDefaultPort()', () => {
  it.each([
    ['https://h.example/x?a=1', 'https://h.example:443/x?a=1'],
    ['https://h.example:443/x', 'https://h.example/x'],
    ['http://h.example/x', 'http://h.example:80/x'],
    ['http://h.example:80', 'http://h.example'],
    ['https://user:pw@h.example/x', 'https://user:pw@h.example:443/x'],
    ['https://[2001:db8::1]/x', 'https://[2001:db8::1]:443/x'],
    ['https://[2001:db8::1]:443/x', 'https://[2001:db8::1]/x'],
  ])('toggleDefaultPort(%s) → %s', (url, toggled) => {
    expect(toggleDefaultPort(url)).toBe(toggled);
  });

  it.each(['https://h.example:8443/x', 'http://h.example:443/x', 'ftp://h.example/x', '/x'])('toggleDefaultPort(%s) → undefined (not a default port)', (url) => {
    expect(toggleDefaultPort(url)).toBeUndefined();
  });
});

describe('publicUrl()', () => {
  it('publicUrl(): a path + Host → https://host/path (the path exactly as received, not normalised)', () => {
    expect(publicUrl({ url: "/a/b%2fc?x=1&y='", headers: { host: 'h.example' } }, {}, 't')).toBe("https://h.example/a/b%2fc?x=1&y='");
  });

  it('publicUrl(): an HTTP/2 request with :authority and no Host → that authority', () => {
    expect(publicUrl({ url: '/p', headers: { ':authority': 'h2.example' } }, {}, 't')).toBe('https://h2.example/p');
  });

  it('publicUrl(): an absolute url (fetch request.url) is used as received', () => {
    expect(publicUrl({ url: 'http://localhost:3000/p?q', headers: { host: 'ignored' } }, {}, 't')).toBe('http://localhost:3000/p?q');
  });

  it('publicUrl({ trustProxy }): the first X-Forwarded-Proto / X-Forwarded-Host value wins, also over an absolute url', () => {
    const headers = { host: 'app:3000', 'x-forwarded-proto': 'HTTPS, http', 'x-forwarded-host': 'h.example, lb.internal' };
    expect(publicUrl({ url: '/p', headers }, { trustProxy: true }, 't')).toBe('https://h.example/p');
    expect(publicUrl({ url: 'http://app:3000/p', headers }, { trustProxy: true }, 't')).toBe('https://h.example/p');
    expect(publicUrl({ url: '/p', headers: { host: 'app:3000' } }, { trustProxy: true }, 't')).toBe('https://app:3000/p');
  });

  it('publicUrl(): a `url` function returning a relative or non-string value → misconfigured', () => {
    for (const url of [() => '/p', () => undefined as unknown as string]) {
      expectWebhookError(() => publicUrl({ url: '/p', headers: {} }, { url }, 't'), 'misconfigured');
    }
  });

  it('validatePublicUrlOption(): accepts an absolute http(s) base or a function; refuses anything else', () => {
    expect(() => validatePublicUrlOption('https://h.example/base', 't')).not.toThrow();
    expect(() => validatePublicUrlOption(() => 'x', 't')).not.toThrow();
    for (const url of ['h.example/base', 'https://h.example/?q=1', 42 as unknown as string]) expectWebhookError(() => validatePublicUrlOption(url, 't'), 'misconfigured');
  });
});
