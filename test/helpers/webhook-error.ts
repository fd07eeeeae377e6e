import { isWebhookError } from '../../src/core/errors.js';

/** `[status, code]` of the WebhookError `action` throws; fails the test if it throws nothing or something else. */
export function codeOf(action: () => unknown): [number, string] {
  try {
    action();
  } catch (error) {
    if (isWebhookError(error)) return [error.status, error.code];
    throw error;
  }
  throw new Error('expected a WebhookError, but nothing was thrown');
}
