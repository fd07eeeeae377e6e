import { Buffer } from 'node:buffer';

/** The stored body is capped so the history stays small; a delivery cut here cannot be replayed. */
export const MAX_STORED_BODY = 256 * 1024;
/** The app's answer body kept per exchange. */
export const MAX_STORED_ANSWER = 64 * 1024;

/** One HTTP exchange with the user's app: a forward or a replay. */
export interface AppExchange {
  url: string;
  at: string;
  ms: number;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  bodyTruncated?: boolean;
  /** The app could not be reached (or the replay could not be built): why. */
  error?: string;
}

export interface Replay extends AppExchange {
  /** `resigned`: signed again with a fresh timestamp; `original`: the bytes and headers as received. */
  mode: 'resigned' | 'original';
}

/** Everything listen keeps about one delivery. Never a secret: header values holding one are redacted. */
export interface DeliveryRecord {
  n: number;
  receivedAt: string;
  method: string;
  /** Path and query as received. */
  path: string;
  /** As received, in order (Node's rawHeaders), secrets redacted. */
  headers: Array<[string, string]>;
  /** The exact bytes, base64 (the first MAX_STORED_BODY of them). */
  body: string;
  size: number;
  truncated: boolean;
  preset: string;
  verdict: 'verified' | 'rejected';
  code?: string;
  message?: string;
  id?: string;
  type?: string;
  timestamp?: number;
  verifyMs: number;
  /** What listen answered the sender. */
  answer: { status: number; body: string };
  forwarded?: AppExchange;
  /** Why it was not forwarded (no --forward; rejected without --forward-all). */
  notForwarded?: string;
  replays: Replay[];
}

export function bodyOf(record: DeliveryRecord): Buffer {
  return Buffer.from(record.body, 'base64');
}

/** Text capped to `max` characters, with whether it was cut. */
export function capText(text: string, max = MAX_STORED_ANSWER): { body: string; bodyTruncated?: boolean } {
  return text.length <= max ? { body: text } : { body: text.slice(0, max), bodyTruncated: true };
}

/** Replaces every occurrence of a secret in `text` by a numbered placeholder, restorable only in-process. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  secrets.forEach((secret, index) => {
    if (secret.length >= 4) out = out.split(secret).join(placeholder(index));
  });
  return out;
}

/** The inverse of `redact`, for replaying a delivery as it was (GitLab sends its token as a header). */
export function unredact(text: string, secrets: readonly string[]): string {
  let out = text;
  secrets.forEach((secret, index) => {
    out = out.split(placeholder(index)).join(secret);
  });
  return out;
}

const placeholder = (index: number) => `[redacted: --secret #${index + 1}]`;
