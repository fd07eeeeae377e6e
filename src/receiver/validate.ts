import { WebhookError, type SchemaIssue } from '../core/errors.js';
import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import type { StandardSchemaV1 } from './standard-schema.js';

/**
 * Validates a payload with any Standard Schema; returns the schema's output (zod transforms
 * and defaults apply) or throws `schema_mismatch` listing every issue as `{ path, message }`.
 * Synchronous when the schema is (zod's are): a promise only for an async validator.
 */
export function validatePayload(schema: StandardSchemaV1, payload: unknown, type: string): MaybePromise<unknown> {
  let result: ReturnType<StandardSchemaV1['~standard']['validate']>;
  try {
    result = schema['~standard'].validate(payload);
  } catch (error) {
    throw tooDeep(error, type);
  }
  // An async validator may hand back any thenable, not only a native Promise (zod retries a
  // synchronous throw asynchronously, so a stack overflow arrives as a rejection).
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (settled) => outputOf(settled, type),
      (error: unknown) => {
        throw tooDeep(error, type);
      },
    );
  }
  return outputOf(result, type);
}

/**
 * A payload nested deeper than a recursive schema can walk overflows the stack: that is the
 * payload's fault, answered 422 (a 500 would be retried forever). Any other throw is kept.
 */
function tooDeep(error: unknown, type: string): unknown {
  if (!isStackOverflow(error)) return error;
  return new WebhookError('schema_mismatch', `The ${type} payload is nested too deeply for its schema to check.`, {
    issues: [{ path: '', message: 'nested too deeply' }],
    cause: error,
  });
}

/** V8's and JavaScriptCore's RangeError, SpiderMonkey's InternalError "too much recursion". */
function isStackOverflow(error: unknown): boolean {
  return error instanceof Error && /maximum call stack|too much recursion/i.test(error.message);
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
