import { withDeadline } from '../core/deadline.js';
import { bodyBytes } from '../core/encoding.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { errorResult, successResult } from '../core/result.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import type { ParsedDelivery, VerifiedDelivery } from '../providers/types.js';
import type { ClaimResult } from '../stores/types.js';
import { createDelivery, lazyHeaders } from './delivery.js';
import type { ResolvedOptions } from './options.js';
import { HandlerFailure, type Registration, type Router } from './router.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Delivery } from './types.js';
import { replyOf } from './reply.js';
import { validatePayload } from './validate.js';

// Built per answer, not shared frozen constants: callers and adapters (Lambda hands `headers` on
// as is) may add a header, and one request's answer must never leak into another's.
const OK = { ok: true } as const;
const DUPLICATE = { ok: true, duplicate: true } as const;
const IGNORED = { ok: true, ignored: true } as const;

/** A delivery verified, parsed and validated, with its handler calls ready: what remains is dedupe and handling. */
export interface PreparedDelivery {
  parsed: ParsedDelivery;
  verified: VerifiedDelivery;
  delivery: Delivery;
  calls: readonly (readonly [Registration['handler'], Delivery])[];
}

/**
 * The receiver's pipeline in its parts. `receive` runs it whole; a durable hand-off
 * (`hookguard/queue`) runs `prepare` on the HTTP side and `dispatch` in a worker.
 */
export interface Pipeline {
  /** The whole pipeline; every failure becomes a coded answer. */
  receive(input: DeliveryInput): Promise<ReceiveResult>;
  /**
   * Everything before dedupe and handlers: the delivery ready to hand off, or the answer that
   * ends it here (a handshake, `ignored`). A refusal throws its `WebhookError`.
   */
  prepare(input: DeliveryInput): Promise<PreparedDelivery | ReceiveResult>;
  /**
   * route → validate → handlers for a delivery verified earlier (no dedupe): the answer
   * `receive` would give, or a rejection with the `WebhookError` (reported to `onError`).
   */
  dispatch(parsed: ParsedDelivery, verified: VerifiedDelivery): Promise<ReceiveResult>;
}

/**
 * The pipeline: method → size → verify → parse → handshake → route → validate → claim → handle → answer.
 * Every failure becomes a coded answer; a delivery is either handled or refused with a status
 * that makes the sender retry.
 */
export function createPipeline(options: ResolvedOptions, router: Router): Pipeline {
  const { provider, events, dedupe, unhandled, maxBodyBytes, toleranceSeconds, handlerTimeoutMs } = options;

  async function prepare(input: DeliveryInput): Promise<PreparedDelivery | ReceiveResult> {
    if (input.method !== undefined && input.method.toUpperCase() !== 'POST') {
      throw new WebhookError('method_not_allowed', `Webhooks are delivered with POST, not ${input.method}.`);
    }
    const body = bodyBytes(input.body);
    if (body.byteLength > maxBodyBytes) {
      throw new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${maxBodyBytes} bytes).`);
    }
    const verified = provider.verify(
      toleranceSeconds === undefined ? { ...input, body } : { ...input, body, toleranceSeconds },
    );
    const parsed = provider.parse(verified);
    return provider.handshake?.(parsed, verified) ?? route(parsed, verified);
  }

  async function route(parsed: ParsedDelivery, verified: VerifiedDelivery): Promise<PreparedDelivery | ReceiveResult> {
    const registrations = router.registrationsFor(parsed.type, parsed.parentTypes);
    if (registrations.length === 0) {
      if (unhandled === 'ignore') return successResult(IGNORED);
      throw new WebhookError('schema_mismatch', `No handler is registered for the event type "${parsed.type ?? ''}".`);
    }
    const { delivery, calls } = await prepareCalls(registrations, parsed, verified);
    return { parsed, verified, delivery, calls };
  }

  /** The handlers' answer; throws HandlerFailure. */
  async function handle({ parsed, calls }: PreparedDelivery): Promise<ReceiveResult> {
    const value = await router.dispatch(calls);
    return value === undefined ? (provider.acknowledge?.(parsed) ?? successResult(OK)) : replyResult(value);
  }

  async function receive(input: DeliveryInput): Promise<ReceiveResult> {
    let delivery: Delivery | undefined;
    try {
      const prepared = await prepare(input);
      if (!('calls' in prepared)) return prepared;
      delivery = prepared.delivery;

      const id = dedupe === false ? undefined : prepared.parsed.id;
      if (id !== undefined && dedupe !== false) {
        const claim = await storeCall(() => dedupe.claim(id));
        if (claim === 'duplicate') return successResult(DUPLICATE);
        if (claim === 'in_flight') {
          throw new WebhookError('in_flight', `Delivery ${id} is being handled right now; retry later.`);
        }
        if (claim !== 'claimed') {
          // Fail closed: a store that answers anything else cannot be trusted to have claimed the id.
          throw new WebhookError('store_unavailable', `The dedupe store answered ${JSON.stringify(String(claim))} to claim(); expected claimed, in_flight or duplicate. The sender should retry.`);
        }
      }

      let result: ReceiveResult;
      try {
        result = await withDeadline(
          handle(prepared),
          handlerTimeoutMs,
          () => new WebhookError('handler_timeout', `The webhook handlers did not finish within handlerTimeoutMs (${handlerTimeoutMs} ms); the sender should retry.`),
          (late) => router.report(asWebhookError(late), delivery),
        );
      } catch (failure) {
        if (id !== undefined && dedupe !== false) {
          await storeCall(() => dedupe.release(id)).catch((error: unknown) => router.report(asWebhookError(error), delivery));
        }
        throw failure;
      }
      if (id !== undefined && dedupe !== false) {
        // The work is done: a store failure now must not turn it into a retry (that would run it twice).
        await storeCall(() => dedupe.complete(id)).catch((error: unknown) => router.report(asWebhookError(error), delivery));
      }
      return result;
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError, delivery);
      return errorResult(webhookError);
    }
  }

  async function dispatch(parsed: ParsedDelivery, verified: VerifiedDelivery): Promise<ReceiveResult> {
    let delivery: Delivery | undefined;
    try {
      const routed = await route(parsed, verified);
      if (!('calls' in routed)) return routed;
      delivery = routed.delivery;
      return await handle(routed);
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError, delivery);
      throw webhookError;
    }
  }

  return { receive, prepare, dispatch };

  /**
   * Validates the payload once per schema involved and gives each handler its own view: a
   * handler registered for `K` sees `type: K` and the output of `K`'s schema (so a GitHub
   * `issues` handler gets what the `issues` schema produced, as its types promise); `onAny`
   * sees the delivery's own type and the output of its schema (or its nearest parent's).
   * Any schema failing refuses the delivery (422) before it is claimed.
   */
  async function prepareCalls(registrations: readonly Registration[], parsed: ParsedDelivery, verified: VerifiedDelivery) {
    const type = parsed.type ?? '';
    const outputs = new Map<StandardSchemaV1, unknown>();
    async function output(schema: StandardSchemaV1 | undefined, fallback: unknown): Promise<unknown> {
      if (schema === undefined) return fallback;
      if (!outputs.has(schema)) outputs.set(schema, await validatePayload(schema, parsed.payload, type));
      return outputs.get(schema);
    }
    const mainPayload = await output(ownSchema(type, parsed.parentTypes), parsed.payload);

    const headers = lazyHeaders(verified.headers);
    const base = { id: parsed.id, timestamp: verified.timestamp, rawBody: verified.rawBody, provider: provider.name };
    const main = createDelivery({ ...base, type, payload: mainPayload }, headers);
    const views = new Map<string, Delivery>();
    const calls: (readonly [Registration['handler'], Delivery])[] = [];
    for (const registration of registrations) {
      const key = registration.type;
      if (key === undefined || key === type) {
        calls.push([registration.handler, main]);
        continue;
      }
      let view = views.get(key);
      if (view === undefined) {
        view = createDelivery({ ...base, type: key, payload: await output(events.get(key), mainPayload) }, headers);
        views.set(key, view);
      }
      calls.push([registration.handler, view]);
    }
    return { delivery: main, calls };
  }

  function ownSchema(type: string, parents: readonly string[] | undefined): StandardSchemaV1 | undefined {
    const own = events.get(type);
    if (own !== undefined || !parents) return own;
    for (const parent of parents) {
      const schema = events.get(parent);
      if (schema !== undefined) return schema;
    }
    return undefined;
  }
}

/** A handler's return value as the JSON answer; one that JSON cannot carry is a handler failure (retried). */
function replyResult(value: unknown): ReceiveResult {
  const explicit = replyOf(value);
  if (explicit) return explicit;
  let result: ReceiveResult;
  try {
    result = successResult(value);
  } catch (cause) {
    throw new HandlerFailure(cause);
  }
  if (typeof result.body !== 'string') {
    throw new HandlerFailure(new TypeError(`A handler returned a ${typeof value}, which JSON cannot serialise.`));
  }
  return result;
}

async function storeCall<T extends ClaimResult | void>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new WebhookError('store_unavailable', 'The dedupe store cannot be reached; the sender should retry.', { cause });
  }
}

/** Anything thrown becomes a WebhookError; a handler's own error is kept as the cause, never shown. */
export function asWebhookError(error: unknown): WebhookError {
  if (error instanceof HandlerFailure) {
    return new WebhookError('handler_failed', 'The webhook handler failed; the sender should retry.', { cause: error.reason });
  }
  if (isWebhookError(error)) return error;
  return new WebhookError('handler_failed', 'The webhook could not be processed; the sender should retry.', { cause: error });
}
