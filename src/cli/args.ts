import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** node:util parseArgs, strict, with its errors turned into usage errors (exit 2). */
export function parse(argv: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

export function requireOption(parsed: Parsed, name: string, hint: string): string {
  const value = stringOption(parsed, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required: ${hint}`);
  return value;
}

/** `--header 'Name: value'`, repeatable. */
export function headerOptions(parsed: Parsed): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of listOption(parsed, 'header')) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header must look like 'Name: value'; got ${JSON.stringify(line)}.`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The options every command that signs or verifies takes. */
export const KEY_OPTIONS = {
  secret: { type: 'string', multiple: true },
  'public-key': { type: 'string', multiple: true },
  'private-key': { type: 'string' },
  'public-url': { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;
