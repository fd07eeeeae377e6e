import { WebhookError } from '../core/errors.js';

/** At most this many signatures are tried per header, so a huge header cannot burn CPU. */
export const MAX_SIGNATURES = 10;

/** Items looked at in a list header: the signatures, plus room for a timestamp and one stray separator. */
const ITEM_LIMIT = MAX_SIGNATURES + 2;

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
  /**
   * What `parse` finds, for one check: pushes the values of the entries tagged `version` onto
   * `into` and returns the timestamp the header carries, throwing as `parse` does. Optional:
   * a provider with a single check uses it when present, because it builds no entry per
   * signature (it runs on every delivery); the built-in formats have it.
   */
  collect?(value: string, headerName: string, version: string, into: string[]): string | undefined;
}

/**
 * One signature after a fixed prefix: `sha256=<hex>` (GitHub), `v0=<hex>` (Slack), or a bare
 * value (Shopify, Discord: prefix ''). A value without the prefix is `malformed_header`.
 */
export function prefixedSignature(prefix = ''): SignatureHeaderFormat {
  const signature = (value: string, headerName: string): string => {
    if (!value.startsWith(prefix)) {
      throw new WebhookError('malformed_header', `The ${headerName} header must start with "${prefix}".`);
    }
    return value.slice(prefix.length).trim();
  };
  return {
    carriesTimestamp: false,
    parse(value, headerName) {
      return { entries: [{ version: '', value: signature(value, headerName) }] };
    },
    collect(value, headerName, version, into) {
      const found = signature(value, headerName);
      if (version === '') into.push(found);
      return undefined;
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
  /**
   * The one loop over a header's items, for `parse` (`version` undefined: every entry, as
   * objects) and `collect` (the values tagged `version`). Bounded, over positions (no
   * generator, no split, no per-item slice): the rest of a giant header is never touched.
   * Each item is trimmed, then split at its first separator.
   */
  function scan(value: string, version: string | undefined, into: SignatureEntry[] | string[]): void {
    let at = -1; // the next version separator at or after the current item, or NONE
    let start = 0;
    for (let count = 0; count < ITEM_LIMIT && start <= value.length; count++) {
      let end = value.indexOf(entrySeparator, start);
      if (end === -1) end = value.length;
      let from = start;
      let to = end;
      start = end + entrySeparator.length;
      while (from < to && isSpace(value.charCodeAt(from))) from++;
      while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
      if (at < from) at = after(value.indexOf(versionSeparator, from));
      if (at <= from || at + versionSeparator.length > to) continue;
      add(into, value, from, at, at + versionSeparator.length, to, version);
    }
  }
  return {
    carriesTimestamp: false,
    parse(value) {
      const entries = signatureList<SignatureEntry>();
      scan(value, undefined, entries);
      return { entries };
    },
    collect(value, _headerName, version, into) {
      // The header as senders write it, one `v1,<signature>` with nothing to trim, is read with
      // one indexOf; anything else goes through the scan (held equal to it by tests).
      const valueFrom = version.length + versionSeparator.length;
      if (
        value.length > valueFrom && value.indexOf(entrySeparator) === -1 && value.startsWith(version) && value.indexOf(versionSeparator) === version.length &&
        version !== '' && !isSpace(value.charCodeAt(0)) && !isSpace(value.charCodeAt(value.length - 1))
      ) {
        into.push(value.slice(valueFrom));
      } else {
        scan(value, version, into);
      }
      return undefined;
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
  /** As `versionedSignatureList`'s scan: each item trimmed, split at its first '=', key and value trimmed; returns the timestamp. */
  function scan(value: string, headerName: string, version: string | undefined, into: SignatureEntry[] | string[]): string {
    let timestamp: string | undefined;
    let eq = -1; // the next '=' at or after the current item, or NONE
    let start = 0;
    for (let count = 0; count < ITEM_LIMIT && start <= value.length; count++) {
      let end = value.indexOf(pairSeparator, start);
      if (end === -1) end = value.length;
      let from = start;
      let to = end;
      start = end + pairSeparator.length;
      while (from < to && isSpace(value.charCodeAt(from))) from++;
      while (to > from && isSpace(value.charCodeAt(to - 1))) to--;
      if (eq < from) eq = after(value.indexOf('=', from));
      if (eq <= from || eq >= to) continue;
      let keyEnd = eq;
      while (isSpace(value.charCodeAt(keyEnd - 1))) keyEnd--; // stops at `from`, which is not a space
      let valueFrom = eq + 1;
      while (valueFrom < to && isSpace(value.charCodeAt(valueFrom))) valueFrom++;
      if (keyEnd - from === timestampKey.length && value.startsWith(timestampKey, from)) {
        timestamp ??= value.slice(valueFrom, to);
      } else {
        add(into, value, from, keyEnd, valueFrom, to, version);
      }
    }
    if (timestamp === undefined) {
      throw new WebhookError('malformed_header', `The ${headerName} header has no ${timestampKey}= timestamp.`);
    }
    return timestamp;
  }
  return {
    carriesTimestamp: true,
    parse(value, headerName) {
      const entries = signatureList<SignatureEntry>();
      const timestamp = scan(value, headerName, undefined, entries);
      return { timestamp, entries };
    },
    collect(value, headerName, version, into) {
      // The header as senders write it, `t=<timestamp>,v1=<signature>` with nothing to trim, is
      // read with a few indexOf calls; anything else goes through the scan (held equal to it by tests).
      const timestampEnd = value.indexOf(pairSeparator);
      const item = timestampEnd + pairSeparator.length;
      const valueFrom = item + version.length + 1;
      if (
        timestampEnd > timestampKey.length && value.length > valueFrom && value.indexOf(pairSeparator, item) === -1 && version !== '' && version !== timestampKey &&
        value.indexOf('=') === timestampKey.length && value.startsWith(timestampKey) && value.indexOf('=', item) === valueFrom - 1 && value.startsWith(version, item) &&
        !isSpace(value.charCodeAt(timestampEnd - 1)) && !isSpace(value.charCodeAt(timestampKey.length + 1)) && !isSpace(value.charCodeAt(item)) && !isSpace(value.charCodeAt(valueFrom)) && !isSpace(value.charCodeAt(value.length - 1))
      ) {
        into.push(value.slice(valueFrom));
        return value.slice(timestampKey.length + 1, timestampEnd);
      }
      return scan(value, headerName, version, into);
    },
    format(entries, timestamp) {
      return [`${timestampKey}=${timestamp ?? ''}`, ...entries.map((entry) => `${entry.version}=${entry.value}`)].join(pairSeparator);
    },
  };
}

/**
 * One item found by a scan, `value[from, versionEnd)` its version and `value[valueFrom, to)` its
 * signature: as an entry (`version` undefined), or its signature alone when tagged `version`
 * (compared in place: only the strings kept are sliced out).
 */
function add(into: SignatureEntry[] | string[], value: string, from: number, versionEnd: number, valueFrom: number, to: number, version: string | undefined): void {
  if (version === undefined) {
    (into as SignatureEntry[]).push({ version: value.slice(from, versionEnd), value: value.slice(valueFrom, to) });
  } else if (versionEnd - from === version.length && value.startsWith(version, from)) {
    (into as string[]).push(value.slice(valueFrom, to));
  }
}

/**
 * An empty list with room for one: a header usually holds one signature, and a first push onto
 * `[]` reserves 17 slots (~150 bytes of garbage per delivery). V8 keeps an array's slots when it
 * pops, so a one-element literal popped empty is the cheapest list that takes one push.
 */
export function signatureList<T>(): T[] {
  const list: T[] = [undefined as T];
  list.pop();
  return list;
}

/** Past the end of any header: "no more separators". */
const NONE = Number.MAX_SAFE_INTEGER;

function after(index: number): number {
  return index === -1 ? NONE : index;
}

/** The characters `String.prototype.trim` removes (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}
