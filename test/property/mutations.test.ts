/**
 * Property (b), issue #6: any mutation of a valid delivery is refused with a WebhookError whose
 * code names the cause — one flipped bit of the body or of a signature, a signature by another
 * secret, a shifted timestamp, a changed signed id, re-encoded JSON, and every signed header
 * dropped, changed, duplicated or truncated. Zero false accepts: where a mutation of header
 * TEXT can leave the delivery intact (an equivalent encoding of the same signature bytes, a
 * duplicated signature header, a header the scheme does not sign), acceptance is allowed only
 * if what the handler would see — body, timestamp, signed id — is exactly what was signed.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/core/encoding.js';
import type { WebhookErrorCode } from '../../src/core/errors.js';
import { getHeader } from '../../src/core/headers.js';
import type { BodyLike } from '../../src/core/types.js';
import type { VerifiedDelivery } from '../../src/providers/types.js';
import { anyBody, describeVerdict, smallBody, ids, reshape, shapes, signed, timestamps, verdict, type Shape, type Signed } from './arbitraries.js';
import { params, RUNS, timeoutFor } from './config.js';
import { formBodies } from './form-bodies.js';
import { isTimed, presetVariants, type Variant } from './presets.js';

const { variants } = presetVariants();

type Role = 'signature' | 'timestamp' | 'id' | 'unsigned';

/** One mutated delivery and what may come of it. */
interface Case {
  delivery: Signed;
  method?: string;
  headers: Record<string, string | string[]>;
  body: BodyLike;
  now: number;
  url?: string;
  shape: Shape;
  /** The codes that name this mutation's cause. */
  codes: readonly WebhookErrorCode[];
  /** Acceptance is allowed when the delivery is still exactly what was signed (header-text edits only). */
  mayAccept: boolean;
  note: string;
}

const anyCode = ['missing_header', 'malformed_header', 'invalid_body', 'signature_mismatch', 'timestamp_too_old', 'timestamp_in_future'] as const;

function rolesOf(variant: Variant, headers: Record<string, string>): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const name of Object.keys(headers)) roles.set(name, 'unsigned');
  roles.set(variant.signature, 'signature');
  if (variant.timestamp !== undefined) roles.set(variant.timestamp, 'timestamp');
  if (variant.signedId !== undefined) roles.set(variant.signedId, 'id');
  return roles;
}

/** A changed signed timestamp is now refused by the window, before any signature work (#13 item 3). */
const OUT_OF_WINDOW = ['timestamp_too_old', 'timestamp_in_future'] as const;

const CODES: Record<'drop' | 'change' | 'truncate' | 'duplicate', Record<Role, readonly WebhookErrorCode[]>> = {
  drop: { signature: ['missing_header'], timestamp: ['missing_header'], id: ['missing_header'], unsigned: anyCode },
  change: {
    signature: ['signature_mismatch', 'malformed_header', 'missing_header', ...OUT_OF_WINDOW],
    timestamp: ['malformed_header', 'signature_mismatch', 'missing_header', ...OUT_OF_WINDOW],
    id: ['signature_mismatch', 'missing_header'],
    unsigned: anyCode,
  },
  truncate: {
    signature: ['signature_mismatch', 'malformed_header', 'missing_header', ...OUT_OF_WINDOW],
    timestamp: ['signature_mismatch', 'missing_header', 'malformed_header', ...OUT_OF_WINDOW],
    id: ['signature_mismatch', 'missing_header'],
    unsigned: anyCode,
  },
  duplicate: {
    signature: ['signature_mismatch', 'malformed_header', ...OUT_OF_WINDOW],
    timestamp: ['malformed_header', ...OUT_OF_WINDOW],
    id: ['signature_mismatch'],
    unsigned: anyCode,
  },
};

/** What the handler would see is what was signed: the body (or its payload and type), the timestamp and a signed id. */
function authentic(variant: Variant, verified: VerifiedDelivery, delivery: Signed): boolean {
  if (Buffer.compare(Buffer.from(verified.rawBody), delivery.bytes) !== 0 && !(variant.signsDecodedBody && sameParse(variant, verified, delivery))) return false;
  if (isTimed(variant) && verified.timestamp !== delivery.timestamp) return false;
  if (variant.signedId !== undefined && getHeader(verified.headers, variant.signedId) !== delivery.id) return false;
  return true;
}

/** The handler would get the same payload and type from the mutated delivery as from the one signed. */
function sameParse(variant: Variant, verified: VerifiedDelivery, delivery: Signed): boolean {
  const seen = (v: VerifiedDelivery): string => {
    try {
      const parsed = variant.provider.parse(v);
      return JSON.stringify([parsed.payload, parsed.type, parsed.parentTypes], (_key, value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
      );
    } catch (error) {
      return `refused: ${String(error)}`;
    }
  };
  const original = variant.provider.verify({ method: 'POST', url: delivery.url, headers: delivery.headers, body: delivery.bytes, now: delivery.timestamp });
  return seen(verified) === seen(original);
}

function check(variant: Variant, arbitrary: fc.Arbitrary<Case>): void {
  fc.assert(
    fc.property(arbitrary, (c) => {
      const v = verdict(() =>
        variant.provider.verify({ method: c.method ?? 'POST', url: c.url ?? c.delivery.url, headers: reshape(c.headers, c.shape), body: c.body, now: c.now }),
      );
      if ('accepted' in v) {
        expect(c.mayAccept && authentic(variant, v.accepted, c.delivery), `false accept: ${c.note}`).toBe(true);
      } else {
        expect(c.codes, `${c.note} → ${describeVerdict(v)}`).toContain(v.code);
      }
    }),
    params(),
  );
}

// Built once: an arbitrary built inside `chain` per run (a regex one above all) costs more than the verification.
const oneChar = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 });
const anyText = fc.string({ maxLength: 80 });
const shortText = fc.string({ maxLength: 40 });
const digits = fc.stringMatching(/^[0-9]{0,12}$/);

/** Shapes a repeated header arrives in: every one of them joins the copies with ", " as HTTP does. */
const dupShapes = fc.constantFrom<Shape>('pairs', 'node-arrays', 'headers', 'record');

function flipBit(bytes: Uint8Array, at: number, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at % copy.length] = (copy[at % copy.length] as number) ^ (1 << bit);
  return copy;
}

/** The delivery with its timestamp changed to `seconds` where the scheme carries it (header, signature header, body). */
function withTimestamp(variant: Variant, delivery: Signed, seconds: number): { headers: Record<string, string>; body: Buffer } {
  const text = (variant.formatTimestamp ?? String)(seconds);
  const headers = { ...delivery.headers };
  let body = delivery.bytes;
  if (variant.timestamp !== undefined) headers[variant.timestamp] = text;
  else if (variant.timestampKey !== undefined) {
    const key = variant.timestampKey;
    headers[variant.signature] = (headers[variant.signature] as string).replace(new RegExp(`(^|[,;])${key}=[0-9]+`), `$1${key}=${text}`);
  } else if (variant.timestampInBody) {
    body = Buffer.from(body.toString('utf8').replace(/"webhookTimestamp":[0-9]+/, `"webhookTimestamp":${seconds * 1000}`));
  }
  return { headers, body };
}

const reencoders: [string, (json: string) => string][] = [
  ['re-serialised compact (JSON.stringify(JSON.parse(body)))', (json) => JSON.stringify(JSON.parse(json))],
  ['re-serialised pretty', (json) => JSON.stringify(JSON.parse(json), null, 2)],
  ['non-ASCII escaped as \\u', (json) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)],
  ['a space after every colon', (json) => json.replaceAll('":', '": ')],
];

describe.each(variants)('$preset — $variant.label', ({ variant }) => {
  // Large bodies where the body is what is mutated; small ones where a header is.
  const bodies = variant.bodies ?? anyBody;
  const small = variant.bodies ?? smallBody;
  const timed = isTimed(variant);
  const bodySigned = variant.bodyUnsigned !== true;
  const tolerance = variant.provider.toleranceSeconds ?? Number.POSITIVE_INFINITY;
  const deliveries = fc.tuple(bodies, timestamps, ids).map(([body, timestamp, id]) => signed(variant, body, timestamp, id));
  const smallDeliveries = fc.tuple(small, timestamps, ids).map(([body, timestamp, id]) => signed(variant, body, timestamp, id));
  const base = { shape: 'record' as Shape, mayAccept: false };
  const title = (what: string) => `${variant.label}: ${what} (${RUNS} runs)`;

  const bitFlippedBody = fc
    .tuple(deliveries.filter((d) => d.bytes.length > 0), fc.nat(), fc.integer({ min: 0, max: 7 }), shapes)
    .map(([delivery, at, bit, shape]): Case => ({
      ...base,
      delivery,
      headers: delivery.headers,
      body: flipBit(delivery.bytes, at, bit),
      now: delivery.timestamp,
      shape,
      codes: ['signature_mismatch', 'invalid_body'].slice(0, variant.signsDecodedBody ? 2 : 1) as WebhookErrorCode[],
      // A form-signing scheme (Twilio) signs the decoded fields: a flip that leaves them equal (%4a → %4A) is the same delivery.
      mayAccept: variant.signsDecodedBody === true,
      note: `bit ${bit} of body byte ${at % delivery.bytes.length} flipped`,
    }));

  const reencodedJson = fc
    .tuple(fc.jsonValue({ maxDepth: 3 }), fc.boolean(), fc.constantFrom(...reencoders), timestamps, ids)
    .filter(([value]) => typeof value === 'object' && value !== null)
    .map(([value, pretty, [how, reencode], timestamp, id]) => {
      const delivery = signed(variant, JSON.stringify(value, null, pretty ? 2 : undefined), timestamp, id);
      const text = delivery.bytes.toString('utf8');
      return { delivery, text, changed: reencode(text), how };
    })
    .filter(({ text, changed }) => text !== changed)
    .map(({ delivery, changed, how }): Case => ({ ...base, delivery, headers: delivery.headers, body: changed, now: delivery.timestamp, codes: ['signature_mismatch'], note: `JSON ${how}` }));

  // Two fields of a form swapped: bytes change, the set of fields does not (Twilio signs the sorted fields).
  const reorderedForm = fc
    .tuple(formBodies.filter((form) => form.includes('&')), fc.nat(), fc.nat(), timestamps, ids)
    .map(([form, i, j, timestamp, id]) => {
      const delivery = signed(variant, form, timestamp, id);
      const fields = delivery.bytes.toString('utf8').split('&');
      const [a, b] = [i % fields.length, j % fields.length];
      [fields[a], fields[b]] = [fields[b] as string, fields[a] as string];
      return { delivery, changed: fields.join('&') };
    })
    .filter(({ delivery, changed }) => changed !== delivery.bytes.toString('utf8'))
    .map(({ delivery, changed }): Case => ({
      ...base,
      delivery,
      headers: delivery.headers,
      body: changed,
      now: delivery.timestamp,
      codes: ['signature_mismatch', 'invalid_body'].slice(0, variant.signsDecodedBody ? 2 : 1) as WebhookErrorCode[],
      mayAccept: variant.signsDecodedBody === true,
      note: `form fields reordered: ${JSON.stringify(delivery.bytes.toString('utf8'))} → ${JSON.stringify(changed)}`,
    }));

  const bitFlippedSignature = fc.tuple(smallDeliveries, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([delivery, at, bit]): Case => {
    const header = delivery.headers[variant.signature] as string;
    const encoded = variant.pattern.exec(header)?.[1];
    if (encoded === undefined) throw new Error(`${variant.label}: the signature pattern does not match ${header}`);
    const encoding = variant.encoding;
    const bytes = encoding === 'text' ? Buffer.from(encoded, 'latin1') : decode(encoded, encoding);
    if (bytes === undefined) throw new Error(`${variant.label}: cannot decode ${encoded}`);
    const flipped = flipBit(bytes, at, bit);
    const forged = encoding === 'text' ? flipped.toString('latin1') : encode(flipped, encoding);
    return {
      ...base,
      delivery,
      headers: { ...delivery.headers, [variant.signature]: header.replace(encoded, forged) },
      body: delivery.bytes,
      now: delivery.timestamp,
      codes: ['signature_mismatch'],
      note: `bit ${bit} of signature byte ${at % bytes.length} flipped`,
    };
  });

  const strangerSigned = fc.tuple(smallDeliveries, shapes).map(([delivery, shape]): Case => {
    const theirs = variant.stranger.sign({ body: delivery.body, timestamp: delivery.timestamp, id: delivery.id, type: 'property.test', url: delivery.url });
    const headers = Object.fromEntries(Object.entries(theirs.headers).map(([n, v]) => [n.toLowerCase(), v]));
    return { ...base, delivery, headers, body: delivery.bytes, now: delivery.timestamp, shape, codes: ['signature_mismatch'], note: 'signed with another secret/key' };
  });

  const shiftedTimestamp = fc
    .tuple(smallDeliveries, fc.integer({ min: -100_000, max: 100_000 }).filter((d) => d !== 0), shapes)
    .map(([delivery, shift, shape]): Case => ({
      ...base,
      delivery,
      ...withTimestamp(variant, delivery, delivery.timestamp + shift),
      now: delivery.timestamp + shift,
      shape,
      codes: ['signature_mismatch'],
      note: `timestamp shifted by ${shift}s`,
    }));

  const changedId = fc
    .tuple(smallDeliveries, ids, shapes)
    .filter(([delivery, id]) => delivery.id !== id)
    .map(([delivery, id, shape]): Case => ({
      ...base,
      delivery,
      headers: { ...delivery.headers, [variant.signedId as string]: id },
      body: delivery.bytes,
      now: delivery.timestamp,
      shape,
      codes: ['signature_mismatch'],
      note: `signed id ${delivery.id} → ${id}`,
    }));

  const otherUrl = fc
    .tuple(smallDeliveries, fc.stringMatching(/^[a-z0-9]{1,8}$/))
    .map(([delivery, extra]): Case => ({
      ...base,
      delivery,
      headers: delivery.headers,
      body: delivery.bytes,
      now: delivery.timestamp,
      url: `${delivery.url}${delivery.url.includes('?') ? '&' : '?'}${extra}=1`,
      codes: ['signature_mismatch'],
      note: `a query parameter ${extra}=1 added to the signed URL`,
    }));

  const otherMethod = fc.tuple(smallDeliveries, fc.constantFrom('PUT', 'PATCH', 'GET', 'DELETE')).map(([delivery, method]): Case => ({
    ...base,
    delivery,
    method,
    headers: delivery.headers,
    body: delivery.bytes,
    now: delivery.timestamp,
    codes: ['signature_mismatch'],
    note: `signed as POST, received as ${method}`,
  }));

  const stale = fc.tuple(smallDeliveries, fc.integer({ min: 1, max: 10_000_000 }), fc.boolean(), shapes).map(([delivery, beyond, late, shape]): Case => ({
    ...base,
    delivery,
    headers: delivery.headers,
    body: delivery.bytes,
    now: delivery.timestamp + (late ? 1 : -1) * (tolerance + beyond),
    shape,
    codes: [late ? 'timestamp_too_old' : 'timestamp_in_future'],
    note: `received ${late ? 'after' : 'before'} the window by ${beyond}s`,
  }));

  /** A header of the delivery, chosen among every header sign() wrote, with its role. */
  const headerCases = (kind: keyof typeof CODES, mutate: (value: string) => fc.Arbitrary<string | string[] | undefined>, shapeArb = shapes) =>
    smallDeliveries.chain((delivery) => {
      const roles = rolesOf(variant, delivery.headers);
      const names = [...roles.keys()].filter((name) => name in delivery.headers);
      return fc.tuple(fc.constantFrom(...names), shapeArb).chain(([name, shape]) =>
        mutate(delivery.headers[name] as string).map((value): Case => {
          const headers: Record<string, string | string[]> = { ...delivery.headers };
          if (value === undefined) delete headers[name];
          else headers[name] = value;
          const role = roles.get(name) as Role;
          return {
            delivery,
            headers,
            body: delivery.bytes,
            now: delivery.timestamp,
            shape,
            codes: CODES[kind][role],
            mayAccept: role === 'signature' || role === 'unsigned',
            note: `${kind} ${role} header ${name}: ${JSON.stringify(delivery.headers[name])} → ${JSON.stringify(value)}`,
          };
        }),
      );
    });

  const substituted = (value: string) =>
    fc.tuple(fc.nat(), oneChar).map(([at, c]) => (value.length === 0 ? c : value.slice(0, at % value.length) + c + value.slice((at % value.length) + 1)));
  const dropped = headerCases('drop', () => fc.constant(undefined));
  const changed = headerCases('change', (value) => fc.oneof(anyText, digits, substituted(value)).filter((next) => next.trim() !== value.trim()));
  const truncated = headerCases('truncate', (value) => fc.nat({ max: Math.max(0, value.length - 1) }).map((at) => value.slice(0, at)));
  const duplicated = headerCases(
    'duplicate',
    (value): fc.Arbitrary<string[]> => fc.oneof(fc.constant<string[]>([value, value]), shortText.map((other): string[] => [value, other]), shortText.map((other): string[] => [other, value])),
    dupShapes,
  );

  // Registered only where it applies (a shared-token scheme signs no body; some schemes sign no
  // timestamp): an inapplicable case is absent, never a skipped test.
  if (bodySigned) {
    it(
      title('the body changed — one flipped bit anywhere, the same JSON re-encoded (a parser in front), form fields reordered → signature_mismatch'),
      () => check(variant, fc.oneof(bitFlippedBody, reencodedJson, reorderedForm)),
      timeoutFor(),
    );
  }

  it(
    title(
      `what is signed changed — a flipped bit of the signature, another secret${timed ? ', a shifted timestamp' : ''}${variant.signedId ? ', another id' : ''}${variant.signsUrl ? ', the URL' : ''}${variant.signsMethod ? ', the method' : ''} → signature_mismatch`,
    ),
    () =>
      check(
        variant,
        fc.oneof(
          bitFlippedSignature,
          strangerSigned,
          ...(timed ? [shiftedTimestamp] : []),
          ...(variant.signedId ? [changedId] : []),
          ...(variant.signsUrl ? [otherUrl] : []),
          ...(variant.signsMethod ? [otherMethod] : []),
        ),
      ),
    timeoutFor(),
  );

  if (timed) {
    it(
      title('honestly signed, received outside the window → timestamp_too_old / timestamp_in_future'),
      () => check(variant, stale),
      timeoutFor(),
    );
  }

  it(
    title('any header dropped, changed, truncated or sent twice → the code of its role (missing_header, malformed_header, signature_mismatch)'),
    () => check(variant, fc.oneof(dropped, changed, truncated, duplicated)),
    timeoutFor(),
  );
});
