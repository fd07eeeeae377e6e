import { WebhookError, type SchemaIssue } from '../core/errors.js';
import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * Validates a payload with any Standard Schema; returns the schema's output (zod transforms
 * and defaults apply) or throws `schema_mismatch` listing every issue as `{ path, message }`.
 * Synchronous when the schema is (zod's are): a promise only for an async validator.
 */
export function validatePayload(schema: StandardSchemaV1, payload: unknown, type: string): MaybePromise<unknown> {
  const result = schema['~standard'].validate(payload);
  // An async validator may hand back any thenable, not only a native Promise.
  if (isThenable(result)) return Promise.resolve(result).then((settled) => outputOf(settled, type));
  return outputOf(result, type);
}

function outputOf(result: StandardSchemaV1.Result<unknown>, type: string): unknown {
  if (result.issues === undefined) return result.value;
  const issues = result.issues.map(toIssue);
  throw new WebhookError('schema_mismatch', `The ${type} payload does not match its schema.`, { issues });
}

function toIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? [])
    .map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment))
    .join('.');
  return { path, message: issue.message };
}
