import { isWebhookError } from '../../core/errors.js';
import { PRESETS, type PresetInfo, type PresetKeys } from '../presets.js';
import { bodyVariants } from './body-variants.js';
import type { CapturedRequest } from './parse-request.js';
import { secretVariants } from './secret-variants.js';
import { urlVariants } from './url-variants.js';

export interface Cause {
  kind: 'secret' | 'body' | 'timestamp' | 'preset' | 'url' | 'header' | 'unknown';
  message: string;
}

export interface Diagnosis {
  preset: string;
  verified: boolean;
  /** The error code of verifying the request as captured, with the keys as given. */
  code?: string;
  message?: string;
  /** 1-based: the --secret that verifies (as given, or once the cause is fixed). */
  secretIndex?: number;
  timestamp?: number;
  causes: Cause[];
}

type Attempt = { ok: true; timestamp?: number } | { ok: false; code: string; message: string };

/** Ten years: wide enough to check a signature whatever its age, so the clock can be judged apart. */
const ANY_AGE = 10 * 365 * 24 * 3600;

function attempt(preset: PresetInfo, keys: PresetKeys, request: CapturedRequest, now: number, overrides: { body?: Buffer; url?: string; toleranceSeconds?: number } = {}): Attempt {
  try {
    const provider = preset.build(keys);
    const verified = provider.verify({
      method: request.method,
      url: overrides.url ?? request.url,
      headers: request.headers,
      body: overrides.body ?? request.body,
      now,
      ...(overrides.toleranceSeconds !== undefined ? { toleranceSeconds: overrides.toleranceSeconds } : {}),
    });
    return { ok: true, ...(verified.timestamp !== undefined ? { timestamp: verified.timestamp } : {}) };
  } catch (error) {
    if (isWebhookError(error)) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'misconfigured', message: (error as Error).message };
  }
}

const withSecret = (keys: PresetKeys, secret: string | Uint8Array): PresetKeys => ({ ...keys, secrets: [secret] });

/** Verifies the captured request and, when it fails, finds the change that would make it verify. */
export function diagnose(preset: PresetInfo, keys: PresetKeys, request: CapturedRequest, now: number): Diagnosis {
  const texts = keys.secrets.filter((s): s is string => typeof s === 'string');
  const perKey = texts.length > 0 ? texts.map((secret, n) => ({ index: n + 1, keys: withSecret(keys, secret) })) : [{ index: undefined, keys }];
  for (const candidate of perKey) {
    const result = attempt(preset, candidate.keys, request, now);
    if (result.ok) {
      const causes: Cause[] = texts.length > 1 ? [{ kind: 'secret', message: `Secret #${candidate.index} of ${texts.length} verifies.` }] : [];
      return { preset: preset.name, verified: true, ...(candidate.index !== undefined ? { secretIndex: candidate.index } : {}), ...(result.timestamp !== undefined ? { timestamp: result.timestamp } : {}), causes };
    }
  }
  const first = attempt(preset, keys, request, now) as Extract<Attempt, { ok: false }>;
  const failed: Diagnosis = { preset: preset.name, verified: false, code: first.code, message: first.message, causes: [] };
  if (first.code === 'misconfigured') return { ...failed, causes: [{ kind: 'secret', message: first.message }] };

  // The signature may be right and only the time wrong.
  for (const candidate of perKey) {
    const wide = attempt(preset, candidate.keys, request, now, { toleranceSeconds: ANY_AGE });
    if (wide.ok && wide.timestamp !== undefined) {
      return { ...failed, ...(candidate.index !== undefined ? { secretIndex: candidate.index } : {}), timestamp: wide.timestamp, causes: [clockCause(preset, keys, wide.timestamp, now)] };
    }
  }

  const otherPreset = fitsAnotherPreset(preset, keys, request, now);
  if (otherPreset !== undefined) return { ...failed, causes: [otherPreset] };
  if (first.code === 'missing_header' || first.code === 'malformed_header') return { ...failed, causes: [{ kind: 'header', message: first.message }] };

  const found = searchChanges(preset, keys, texts, request, now);
  if (found !== undefined) return { ...failed, secretIndex: found.index, causes: found.causes };
  return {
    ...failed,
    causes: [
      {
        kind: 'unknown',
        message:
          'No secret given verifies these bytes, and no common change explains it (trailing newline, CRLF, JSON layout or escapes, the whsec_ prefix or decoding' +
          (preset.signsUrl ? ', the signed URL' : '') +
          '). Check that the secret is this endpoint’s (each endpoint has its own), and that nothing parsed and rebuilt the body with other key order or number formats.',
      },
    ],
  };
}

function clockCause(preset: PresetInfo, keys: PresetKeys, timestamp: number, now: number): Cause {
  const window = safeTolerance(preset, keys);
  const delta = now - timestamp;
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const where = delta > 0 ? `${delta} s older than` : `${-delta} s ahead of`;
  return {
    kind: 'timestamp',
    message: `The signature is valid, but the timestamp ${iso(timestamp)} is ${where} the clock used (${iso(now)}), outside the ±${window} s window: ${Math.abs(delta) - window} s too ${delta > 0 ? 'old' : 'far in the future'}. A clock between ${iso(timestamp - window)} and ${iso(timestamp + window)} would accept it. Check the sender's and the receiver's clocks (NTP), or whether this is a replay of an old capture.`,
  };
}

function safeTolerance(preset: PresetInfo, keys: PresetKeys): number {
  try {
    return preset.build(keys).toleranceSeconds ?? 300;
  } catch {
    return 300;
  }
}

/** The request carries another preset's signature header: say which, and whether it verifies as that preset. */
function fitsAnotherPreset(preset: PresetInfo, keys: PresetKeys, request: CapturedRequest, now: number): Cause | undefined {
  if (request.headers[preset.signatureHeader] !== undefined) return undefined;
  const others = PRESETS.filter((other) => other.name !== preset.name && request.headers[other.signatureHeader] !== undefined);
  if (others.length === 0) return undefined;
  for (const other of others) {
    const result = attempt(other, keys, request, now, { toleranceSeconds: ANY_AGE });
    if (result.ok) return { kind: 'preset', message: `The request has no ${preset.signatureHeader} header: it carries ${other.signatureHeader} and verifies as the ${other.name} preset with these keys. Use providers.${camel(other.name)}(…) (or \`hookguard explain ${other.name}\`).` };
  }
  return { kind: 'preset', message: `The request has no ${preset.signatureHeader} header; its ${others[0]?.signatureHeader} header fits the ${others.map((o) => o.name).join(' / ')} preset (it does not verify as that one with these keys either).` };
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Tries one change at a time, then two, then three: secret form × original body × signed URL. */
function searchChanges(preset: PresetInfo, keys: PresetKeys, texts: string[], request: CapturedRequest, now: number): { index?: number; causes: Cause[] } | undefined {
  const secretFormat = ['standard-webhooks', 'svix', 'clerk', 'resend'].includes(preset.name) ? 'whsec' : 'utf8';
  const secrets = texts.length > 0 ? secretVariants(texts, secretFormat) : [{ index: 0, secret: '' as string | Uint8Array }];
  const bodies = [{ body: request.body, cause: undefined as string | undefined }, ...bodyVariants(request.body)];
  const urls: Array<{ url?: string; cause?: string }> = [{}];
  if (preset.signsUrl !== undefined) for (const url of urlVariants(request, keys.url)) urls.push({ url, cause: urlCause(preset, url) });
  for (let depth = 1; depth <= 3; depth += 1) {
    for (const secret of secrets) {
      for (const body of bodies) {
        for (const url of urls) {
          const changes = [secret.cause, body.cause, url.cause].filter((c): c is string => c !== undefined);
          if (changes.length !== depth) continue;
          const tried = texts.length > 0 ? withSecret(keys, secret.secret) : keys;
          const scoped = url.url !== undefined ? { ...tried, ...(preset.signsUrl === 'notification' ? { url: url.url } : { url: undefined }) } : tried;
          if (scoped.url === undefined) delete scoped.url;
          const overrides = { body: body.body, toleranceSeconds: ANY_AGE, ...(url.url !== undefined && preset.signsUrl === 'request' ? { url: url.url } : {}) };
          if (attempt(preset, scoped, request, now, overrides).ok) {
            const causes: Cause[] = [];
            if (secret.cause) causes.push({ kind: 'secret', message: secret.cause });
            if (body.cause) causes.push({ kind: 'body', message: `${body.cause} Verify over the exact bytes received: mount the webhook route before express.json() (or give it express.raw({ type: '*/*' })), and let nothing rewrite the body on the way.` });
            if (url.cause) causes.push({ kind: 'url', message: url.cause });
            return { ...(texts.length > 0 ? { index: secret.index } : {}), causes };
          }
        }
      }
    }
  }
  return undefined;
}

function urlCause(preset: PresetInfo, url: string): string {
  if (preset.signsUrl === 'notification') return `The signature verifies with the notification URL ${url}: pass exactly that as notificationUrl (as set in the sender's console).`;
  const base = url.split('?')[0];
  return `The sender signed the URL ${url}, not the one the receiver rebuilds from this request. Pass \`url: '${base}'\` to providers.${preset.name}(…) (or \`trustProxy: true\` behind a proxy that sets X-Forwarded-Proto/-Host).`;
}
