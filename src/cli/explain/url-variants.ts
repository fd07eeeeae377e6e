import type { CapturedRequest } from './parse-request.js';

/** Absolute URLs the sender may have signed, rebuilt from what the request says about its way here. */
export function urlVariants(request: CapturedRequest, publicUrl: string | undefined): string[] {
  const absolute = /^https?:\/\//i.test(request.url) ? new URL(request.url) : undefined;
  const pathAndQuery = absolute ? absolute.pathname + absolute.search : request.url;
  const first = (value: string | undefined) => value?.split(',')[0]?.trim();
  const hosts = new Set<string>();
  for (const host of [first(request.headers['x-forwarded-host']), first(request.headers['x-original-host']), request.headers.host, absolute?.host, publicUrl ? new URL(publicUrl).host : undefined]) {
    if (host) hosts.add(host);
  }
  const paths = new Set<string>([pathAndQuery]);
  if (publicUrl) paths.add(new URL(publicUrl).pathname + (pathAndQuery.includes('?') ? pathAndQuery.slice(pathAndQuery.indexOf('?')) : ''));
  for (const path of [...paths]) {
    const [pathname = '', query] = path.split(/\?(.*)/s, 2);
    const toggled = pathname.endsWith('/') ? pathname.slice(0, -1) : `${pathname}/`;
    if (toggled !== '') paths.add(query !== undefined ? `${toggled}?${query}` : toggled);
    if (query !== undefined) paths.add(pathname);
  }
  const urls: string[] = [];
  for (const scheme of ['https', 'http']) {
    for (const host of hosts) {
      for (const hostForm of withAndWithoutDefaultPort(host, scheme)) {
        for (const path of paths) urls.push(`${scheme}://${hostForm}${path}`);
      }
    }
  }
  return [...new Set(urls)];
}

function withAndWithoutDefaultPort(host: string, scheme: string): string[] {
  const port = scheme === 'https' ? ':443' : ':80';
  const bare = host.replace(/:(443|80)$/, '');
  return host.includes(':') && !host.endsWith(port) ? [host, bare] : [bare, bare + port];
}
