import { UsageError } from './usage-error.js';

/**
 * Applies `path=value` to a payload: the path is dot-separated (`data.object.amount`, array
 * indexes as numbers), the value is JSON when it parses (`500`, `true`, `{"a":1}`) and a string otherwise.
 */
export function applyOverride(payload: Record<string, unknown>, assignment: string): void {
  const at = assignment.indexOf('=');
  if (at < 1) throw new UsageError(`--override must be path=value (data.object.amount=500); got ${JSON.stringify(assignment)}.`);
  const path = assignment.slice(0, at).split('.');
  if (path.some((key) => key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype')) {
    throw new UsageError(`--override: ${JSON.stringify(assignment.slice(0, at))} is not a usable path.`);
  }
  let target: Record<string, unknown> = payload;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[path[path.length - 1] as string] = parseValue(assignment.slice(at + 1));
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
