import { WebhookError } from '../core/errors.js';

/** At most this many signatures are tried per header, so a huge header cannot burn CPU. */
export const MAX_SIGNATURES = 10;

/** One signature found in a header: its version tag (`v1`, `v1a`, `h1`, or '' when the scheme has none) and its encoded value. */
export interface SignatureEntry {
  version: string;
  value: string;
}

export interface ParsedSignatureHeader {
  /** A timestamp carried inside the signature header (Stripe `t=`, Paddle `ts=`). */
  timestamp?: string;
  entries: SignatureEntry[];
}

/** How a scheme writes signatures into its header, both ways. */
export interface SignatureHeaderFormat {
  parse(value: string, headerName: string): ParsedSignatureHeader;
  format(entries: readonly SignatureEntry[], timestamp: string | undefined): string;
  /** True when the timestamp travels inside this header rather than in a header of its own. */
  readonly carriesTimestamp: boolean;
}

/**
 * One signature after a fixed prefix: `sha256=<hex>` (GitHub), `v0=<hex>` (Slack), or a bare
 * value (Shopify, Discord: prefix ''). A value without the prefix is `malformed_header`.
 */
export function prefixedSignature(prefix = ''): SignatureHeaderFormat {
  return {
    carriesTimestamp: false,
    parse(value, headerName) {
      if (!value.startsWith(prefix)) {
        throw new WebhookError('malformed_header', `The ${headerName} header must start with "${prefix}".`);
      }
      return { entries: [{ version: '', value: value.slice(prefix.length).trim() }] };
    },
    format(entries) {
      return `${prefix}${entries[0]?.value ?? ''}`;
    },
  };
}

/**
 * Space-separated `version,signature` entries, as Standard Webhooks writes them:
 * `v1,<base64> v1a,<base64>`. Entries with an unknown version are ignored by the checks.
 */
export function versionedSignatureList(entrySeparator = ' ', versionSeparator = ','): SignatureHeaderFormat {
  return {
    carriesTimestamp: false,
    parse(value) {
      const entries: SignatureEntry[] = [];
      for (const item of boundedSplit(value, entrySeparator)) {
        const at = item.indexOf(versionSeparator);
        if (at <= 0) continue;
        entries.push({ version: item.slice(0, at), value: item.slice(at + versionSeparator.length) });
      }
      return { entries };
    },
    format(entries) {
      return entries.map((entry) => `${entry.version}${versionSeparator}${entry.value}`).join(entrySeparator);
    },
  };
}

/**
 * `key=value` pairs with the timestamp under `timestampKey`: Stripe `t=…,v1=…,v0=…`,
 * Paddle `ts=…;h1=…`. A header with no timestamp key is `malformed_header`.
 */
export function keyValueSignatureList(timestampKey: string, pairSeparator = ','): SignatureHeaderFormat {
  return {
    carriesTimestamp: true,
    parse(value, headerName) {
      let timestamp: string | undefined;
      const entries: SignatureEntry[] = [];
      for (const item of boundedSplit(value, pairSeparator)) {
        const at = item.indexOf('=');
        if (at <= 0) continue;
        const key = item.slice(0, at).trim();
        const itemValue = item.slice(at + 1).trim();
        if (key === timestampKey) timestamp ??= itemValue;
        else entries.push({ version: key, value: itemValue });
      }
      if (timestamp === undefined) {
        throw new WebhookError('malformed_header', `The ${headerName} header has no ${timestampKey}= timestamp.`);
      }
      return { timestamp, entries };
    },
    format(entries, timestamp) {
      return [`${timestampKey}=${timestamp ?? ''}`, ...entries.map((entry) => `${entry.version}=${entry.value}`)].join(pairSeparator);
    },
  };
}

/** Splits without scanning past a bounded number of items: the rest of a giant header is never touched. */
function* boundedSplit(value: string, separator: string, limit = MAX_SIGNATURES + 2): Generator<string> {
  let start = 0;
  for (let count = 0; count < limit && start <= value.length; count++) {
    let end = value.indexOf(separator, start);
    if (end === -1) end = value.length;
    const item = value.slice(start, end).trim();
    if (item.length > 0) yield item;
    start = end + separator.length;
  }
}
