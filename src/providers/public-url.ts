import { WebhookError } from '../core/errors.js';
import { kindOf } from '../core/describe-value.js';
import { getHeader } from '../core/headers.js';
import type { HeadersLike } from '../core/types.js';

/** The parts of a request a public URL is rebuilt from. */
export interface RequestLike {
  method?: string;
  /** What the adapter saw: a path with its query (`req.originalUrl`), or an absolute URL (fetch `request.url`). */
  url?: string;
  headers: HeadersLike;
}

export interface PublicUrlOptions {
  /**
   * The URL the sender calls, for when the request cannot tell (a proxy rewrites host or path).
   * A string is the base — scheme, host, optional port and path, no query: the query received is
   * appended as is. A function gets the request and returns the whole URL, query included.
   */
  url?: string | ((request: RequestLike) => string);
  /** Read `X-Forwarded-Proto` / `X-Forwarded-Host` (first value) set by your proxy. Only turn on behind a proxy that overwrites them. */
  trustProxy?: boolean;
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is;

/** Checks the `url` option at construction: an absolute http(s) base without a query, or a function. */
export function validatePublicUrlOption(url: PublicUrlOptions['url'], who: string): void {
  if (url === undefined || typeof url === 'function') return;
  const match = typeof url === 'string' ? ABSOLUTE.exec(url) : null;
  if (!match || !/^https?$/i.test(match[1] as string) || match[2] === '') {
    throw new WebhookError('misconfigured', `${who}: \`url\` must be the absolute public URL (https://host/path) or a function of the request; got ${kindOf(url)}.`);
  }
  if (url.includes('?')) {
    throw new WebhookError('misconfigured', `${who}: leave the query string out of \`url\`; the one received is appended (senders add parameters to it).`);
  }
}

/**
 * The URL the sender signed, rebuilt from the request: the `url` option when given; else an
 * absolute `request.url` as received; else `https://` + the Host header + the path. With
 * `trustProxy`, `X-Forwarded-Proto` and `X-Forwarded-Host` replace scheme and host.
 */
export function publicUrl(request: RequestLike, options: PublicUrlOptions, who: string): string {
  const { url: override, trustProxy = false } = options;
  if (typeof override === 'function') {
    const url = override(request);
    if (typeof url !== 'string' || !ABSOLUTE.test(url)) throw new WebhookError('misconfigured', `${who}: the \`url\` function must return an absolute URL; got ${kindOf(url)}.`);
    return url;
  }
  const received = request.url;
  if (typeof override === 'string') return override + queryOf(received ?? '');
  if (received === undefined || received === '') {
    throw new WebhookError('misconfigured', `${who} signs the request URL: pass \`url\` in the verify input (adapters do), or the \`url\` option.`);
  }
  const match = ABSOLUTE.exec(received);
  let scheme = match ? (match[1] as string) : 'https';
  let host = match ? (match[2] as string) : (getHeader(request.headers, 'host') ?? getHeader(request.headers, ':authority'));
  const rest = match ? (match[3] as string) : received;
  if (trustProxy) {
    scheme = firstValue(getHeader(request.headers, 'x-forwarded-proto')) ?? scheme;
    host = firstValue(getHeader(request.headers, 'x-forwarded-host')) ?? host;
  }
  if (host === undefined || host === '') throw new WebhookError('missing_header', 'The Host header is missing: the public URL cannot be rebuilt (or set the `url` option).');
  return `${scheme.toLowerCase()}://${host}${rest}`;
}

/**
 * The same URL with its default port (`:443` for https, `:80` for http) added when absent or
 * removed when present; undefined for any other port. Senders' helper libraries accept both forms.
 */
export function toggleDefaultPort(url: string): string | undefined {
  const match = ABSOLUTE.exec(url);
  if (!match) return undefined;
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : scheme.toLowerCase() === 'http' ? '80' : undefined;
  if (defaultPort === undefined) return undefined;
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1); // an IPv6 literal's colons are not the port's
  const prefix = `${scheme}://${authority.slice(0, at + 1)}`;
  if (colon === -1) return `${prefix}${hostPort}:${defaultPort}${rest}`;
  if (hostPort.slice(colon + 1) !== defaultPort) return undefined;
  return `${prefix}${hostPort.slice(0, colon)}${rest}`;
}

function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at);
}

function firstValue(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}
