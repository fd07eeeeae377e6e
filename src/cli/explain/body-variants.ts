import { Buffer } from 'node:buffer';

/** A body the sender may have signed, and what changed between it and the bytes captured. */
export interface BodyVariant {
  body: Buffer;
  cause: string;
}

const REPARSED =
  'The body was re-serialised after it was signed (parsed and stringified again: express.json() or another body parser ran before the webhook route, or a relay re-encoded it)';

/** Candidate original bodies: trailing newline/CR changes, line-ending changes, and the JSON layouts senders use. */
export function bodyVariants(captured: Buffer): BodyVariant[] {
  const variants: BodyVariant[] = [];
  const add = (body: Buffer, cause: string) => {
    if (!body.equals(captured) && !variants.some((v) => v.body.equals(body))) variants.push({ body, cause });
  };
  const text = captured.toString('latin1');
  if (text.endsWith('\r\n')) add(captured.subarray(0, -2), 'The body gained a trailing CRLF after it was signed (a proxy, or a file saved with a final line break).');
  else if (text.endsWith('\n')) add(captured.subarray(0, -1), 'The body gained a trailing newline (LF) after it was signed (a proxy, or a file saved with a final line break).');
  else if (text.endsWith('\r')) add(captured.subarray(0, -1), 'The body gained a trailing CR after it was signed.');
  add(Buffer.concat([captured, Buffer.from('\n')]), 'The body lost its trailing newline (LF) after it was signed (trimmed by a text body parser or by .trim()).');
  add(Buffer.concat([captured, Buffer.from('\r\n')]), 'The body lost its trailing CRLF after it was signed (trimmed on the way).');
  if (text.includes('\r\n')) add(Buffer.from(text.replaceAll('\r\n', '\n'), 'latin1'), "The body's line endings were changed from LF to CRLF after it was signed.");
  else if (text.includes('\n')) add(Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1'), "The body's line endings were changed from CRLF to LF after it was signed.");
  for (const variant of jsonVariants(captured)) add(variant.body, variant.cause);
  return variants;
}

const LAYOUTS: Array<[indent: number | string | undefined, name: string]> = [
  [undefined, 'compact JSON'],
  [2, 'JSON indented with 2 spaces'],
  [4, 'JSON indented with 4 spaces'],
  ['\t', 'JSON indented with tabs'],
];

function jsonVariants(captured: Buffer): BodyVariant[] {
  let value: unknown;
  try {
    value = JSON.parse(captured.toString('utf8'));
  } catch {
    return [];
  }
  const capturedText = captured.toString('utf8');
  const capturedLayout = layoutOf(capturedText);
  const variants: BodyVariant[] = [];
  for (const sorted of [false, true]) {
    for (const [indent, name] of LAYOUTS) {
      for (const escapeUnicode of [false, true]) {
        for (const escapeSlash of [false, true]) {
          for (const newline of [false, true]) {
            let text = JSON.stringify(sorted ? sortKeys(value) : value, null, indent);
            if (escapeUnicode) text = text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
            if (escapeSlash) text = text.replaceAll('/', '\\/');
            if (newline) text += '\n';
            const details = [
              name !== capturedLayout ? `the sender sent ${name}, the captured body is ${capturedLayout}` : undefined,
              escapeUnicode ? 'the sender escaped non-ASCII characters as \\uXXXX' : undefined,
              escapeSlash ? 'the sender escaped "/" as "\\/"' : undefined,
              sorted ? 'the keys were in another order' : undefined,
              newline ? 'the sender ended the body with a newline' : undefined,
            ].filter((d): d is string => d !== undefined);
            variants.push({ body: Buffer.from(text, 'utf8'), cause: `${REPARSED}: ${details.length > 0 ? details.join('; ') : 'its escapes or number formatting changed'}.` });
          }
        }
      }
    }
  }
  return variants;
}

function layoutOf(text: string): string {
  const indent = /\n([ \t]+)"/.exec(text)?.[1];
  if (indent === undefined) return /[{[]\s*\n/.test(text) ? 'JSON over several lines' : 'compact JSON';
  if (indent.startsWith('\t')) return 'JSON indented with tabs';
  return indent.length === 2 ? 'JSON indented with 2 spaces' : indent.length === 4 ? 'JSON indented with 4 spaces' : `JSON indented with ${indent.length} spaces`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}
