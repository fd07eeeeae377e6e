/**
 * Every way a delivery can be refused, and the HTTP status that tells the sender what to do
 * next (4xx: stop, this will never verify; 409/5xx: try again later). Adapters never choose
 * statuses: they read `error.status`, which comes from this one table.
 */
export const ERROR_STATUS = {
  missing_header: 400,
  malformed_header: 400,
  invalid_body: 400,
  signature_mismatch: 401,
  timestamp_too_old: 401,
  timestamp_in_future: 401,
  unknown_tenant: 401,
  method_not_allowed: 405,
  body_timeout: 408,
  in_flight: 409,
  body_too_large: 413,
  schema_mismatch: 422,
  handler_failed: 500,
  misconfigured: 500,
  store_unavailable: 503,
  handler_timeout: 503,
  shutting_down: 503,
  overloaded: 503,
  secret_unavailable: 503,
} as const;

export type WebhookErrorCode = keyof typeof ERROR_STATUS;

/** One problem found by a schema, as `{ path: 'data.amount', message: 'Expected number' }`. */
export interface SchemaIssue {
  path: string;
  message: string;
}

export interface WebhookErrorOptions {
  cause?: unknown;
  issues?: SchemaIssue[];
}

const BRAND = Symbol.for('hookguard.WebhookError');

/**
 * The only error hookguard throws or answers with. `code` is stable (match on it, never on
 * `message`); `status` is the HTTP status adapters send. Messages never contain a secret, a key
 * or an expected signature.
 *
 * @example
 * try { verifyWebhook(provider, input) }
 * catch (e) { if (isWebhookError(e) && e.code === 'timestamp_too_old') … }
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  readonly code: WebhookErrorCode;
  readonly status: number;
  readonly issues?: SchemaIssue[];

  constructor(code: WebhookErrorCode, message: string, options: WebhookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = ERROR_STATUS[code];
    if (options.issues) this.issues = options.issues;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True for a hookguard `WebhookError`, also when it comes from another copy of the package
 * (an ESM and a CJS build loaded side by side), where `instanceof` would say false.
 *
 * @example
 * receiver.onError((error) => { if (isWebhookError(error)) metrics.increment(error.code) });
 */
export function isWebhookError(value: unknown): value is WebhookError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
