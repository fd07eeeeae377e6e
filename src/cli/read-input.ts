import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { UsageError } from './usage-error.js';

/** The bytes of a file, or of stdin for `-`. Unreadable is a usage error (exit 2). */
export function readInput(path: string, option: string): Buffer {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${path === '-' ? 'stdin' : JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

export function readJsonObject(path: string, option: string): Record<string, unknown> {
  const text = readInput(path, option).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option}: ${path === '-' ? 'stdin' : path} is not JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${option}: the payload must be a JSON object.`);
  return value as Record<string, unknown>;
}
