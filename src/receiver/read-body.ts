import type { BodyTicket } from '../core/body-budget.js';
import type { BodySource, DeliveryInput } from '../core/types.js';
import type { ResolvedOptions } from './options.js';

const EMPTY = new Uint8Array(0);

/** A delivery whose body an adapter reads on demand. */
export type SourcedInput = DeliveryInput & { body: BodySource };

export function hasBodySource(input: DeliveryInput): input is SourcedInput {
  // Guarded: receive() is also called from untyped code with no input at all.
  return typeof input === 'object' && input !== null && typeof input.body === 'function';
}

/**
 * What must pass before a body is read, then the read: a non-POST request is left for the
 * pipeline to refuse (its body unread); the provider's header checks run next, with the
 * receiver's own window; only then is the body read, every byte taken from the budget first.
 * The ticket is the caller's to release once the delivery is answered.
 */
export async function readBodySource(input: SourcedInput, options: ResolvedOptions): Promise<{ input: DeliveryInput; ticket?: BodyTicket }> {
  const { method } = input;
  if (method !== undefined && method !== 'POST' && method.toUpperCase() !== 'POST') return { input: { ...input, body: EMPTY } };
  const { provider, toleranceSeconds } = options;
  if (provider.precheck !== undefined) {
    const { body: _unread, ...request } = input;
    provider.precheck(toleranceSeconds === undefined ? request : { ...request, toleranceSeconds });
  }
  const ticket = options.bodyBudget.open();
  try {
    const body = await input.body({ maxBytes: options.maxBodyBytes, timeoutMs: options.bodyTimeoutMs, idleTimeoutMs: options.bodyIdleTimeoutMs, ticket });
    return { input: { ...input, body }, ticket };
  } catch (error) {
    ticket.release();
    throw error;
  }
}
