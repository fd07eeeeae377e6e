import { withDeadline } from '../core/deadline.js';
import { bodyBytes } from '../core/encoding.js';
import { WebhookError, isWebhookError } from '../core/errors.js';
import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import { errorResult, jsonResult, successResult } from '../core/result.js';
import type { BodyLike, DeliveryInput, ReceiveResult } from '../core/types.js';
import type { ParsedDelivery, VerifiedDelivery } from '../providers/types.js';
import type { DedupeStore } from '../stores/types.js';
import { dedupeKey } from './dedupe-key.js';
import { LazyHeaders, createDelivery, type DeliveryBase } from './delivery.js';
import type { ResolvedOptions } from './options.js';
import { answersWith, handledAnswer, type HandledAnswer } from './answer.js';
import { HandlerFailure, handlerFailure, type Registration, type Router } from './router.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Delivery } from './types.js';
import { hasBodySource, readBodySource, type SourcedInput } from './read-body.js';
import { validatePayload } from './validate.js';
import { createIgnoredLog } from './ignored-log.js';
import { NO_TRACE, type DeliveryTrace } from '../telemetry/delivery-trace.js'; // #17 telemetry
import { acknowledgedFailure } from './failure-policy.js'; // #17 onHandlerError
import { deliveryLogger } from './logger.js'; // #17 delivery.log

// Answers are built per delivery from these, never shared: callers and adapters (Lambda hands
// `headers` on as is) may add a header, and one request's answer must never leak into another's.
const DUPLICATE_JSON = JSON.stringify({ ok: true, duplicate: true });
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
  receive(input: DeliveryInput, trace?: DeliveryTrace): Promise<ReceiveResult>;
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
  /** The store key (and queue job id source) of a delivery id: `dedupeKey(namespace, id)`. */
  keyFor(id: string): string;
}

/**
 * The pipeline: method → size → verify → parse → handshake → route → validate → claim → handle → answer.
 * Every failure becomes a coded answer; a delivery is either handled or refused with a status
 * that makes the sender retry.
 *
 * Each step runs synchronously unless it has something to wait for (an async schema, a Redis
 * store, an async handler): a delivery through zod, the memory store and one async handler
 * awaits once, for its handler.
 */
export function createPipeline(options: ResolvedOptions, router: Router): Pipeline {
  const { provider, events, unhandled, maxBodyBytes, toleranceSeconds, handlerTimeoutMs, namespace } = options;
  const keyFor = (id: string): string => dedupeKey(namespace, id);
  const logIgnored = createIgnoredLog(provider.name, options.logger);
  const store = options.dedupe === false ? undefined : options.dedupe;
  const handlerTimeout = (): WebhookError =>
    new WebhookError('handler_timeout', `The webhook handlers did not finish within handlerTimeoutMs (${String(handlerTimeoutMs)} ms); the sender should retry.`);

  /** Everything before dedupe and handlers; throws a refusal. */
  function prepareNow(input: DeliveryInput, trace: DeliveryTrace = NO_TRACE): MaybePromise<PreparedDelivery | ReceiveResult> {
    const { method } = input;
    if (method !== undefined && method !== 'POST' && method.toUpperCase() !== 'POST') {
      throw new WebhookError('method_not_allowed', `Webhooks are delivered with POST, not ${method}.`);
    }
    const body = bodyBytes(input.body as BodyLike); // a BodySource was read before (read-body.ts)
    if (body.byteLength > maxBodyBytes) {
      throw new WebhookError('body_too_large', `The body is larger than maxBodyBytes (${maxBodyBytes} bytes).`);
    }
    trace.stage('verify'); // #17 telemetry
    const verified = provider.verify(
      toleranceSeconds === undefined ? { ...input, body } : { ...input, body, toleranceSeconds },
    );
    const parsed = provider.parse(verified);
    trace.stage('validate', parsed); // #17 telemetry
    return provider.handshake?.(parsed, verified) ?? route(parsed, verified);
  }

  function route(parsed: ParsedDelivery, verified: VerifiedDelivery): MaybePromise<PreparedDelivery | ReceiveResult> {
    const registrations = router.registrationsFor(parsed.type, parsed.parentTypes);
    if (registrations.length === 0) {
      if (unhandled === 'ignore') {
        logIgnored(parsed);
        return successResult(IGNORED);
      }
      throw new WebhookError('schema_mismatch', `No handler is registered for the event type "${parsed.type ?? ''}".`);
    }
    const type = parsed.type ?? '';
    const schema = ownSchema(type, parsed.parentTypes);
    if (schema === undefined) return prepareCalls(registrations, parsed, verified, undefined, parsed.payload);
    const output = validatePayload(schema, parsed.payload, type);
    if (isThenable(output)) return Promise.resolve(output).then((value) => prepareCalls(registrations, parsed, verified, schema, value));
    return prepareCalls(registrations, parsed, verified, schema, output);
  }

  /** The handlers' return value, awaited within handlerTimeoutMs; rejects with a HandlerFailure or `handler_timeout`. */
  function settle(running: PromiseLike<unknown>, delivery: Delivery): Promise<unknown> {
    return withDeadline(running, handlerTimeoutMs, handlerTimeout, (late) => router.report(asWebhookError(handlerFailure(late)), delivery), handlerFailure);
  }

  /** Runs the handlers within handlerTimeoutMs; rejects with a HandlerFailure or `handler_timeout`. */
  async function handle(prepared: Pick<PreparedDelivery, 'parsed' | 'calls'>, delivery: Delivery): Promise<HandledAnswer> {
    let value = router.dispatch(prepared.calls, answersWith(prepared.parsed));
    if (isThenable(value)) value = await settle(value, delivery);
    return handledAnswer(provider, prepared.parsed, value);
  }

  async function receive(input: DeliveryInput, trace: DeliveryTrace = NO_TRACE): Promise<ReceiveResult> {
    let delivery: Delivery | undefined;
    try {
      let prepared = prepareNow(input, trace);
      if (isThenable(prepared)) prepared = await prepared;
      if (!('calls' in prepared)) return trace.end(prepared); // #17 telemetry
      delivery = prepared.delivery;

      const id = store === undefined ? undefined : prepared.parsed.id;
      const key = id === undefined ? undefined : keyFor(id);
      const owner = claimOwner();
      trace.stage('dedupe'); // #17 telemetry
      if (key !== undefined && store !== undefined) {
        let claim = storeCall(store, 'claim', key, owner);
        if (isThenable(claim)) claim = await claim;
        if (claim === 'duplicate') return trace.end(jsonResult(DUPLICATE_JSON)); // #17 telemetry
        if (claim === 'in_flight') {
          throw new WebhookError('in_flight', `Delivery ${id} is being handled right now; retry later.`);
        }
        if (claim !== 'claimed') {
          // Fail closed: a store that answers anything else cannot be trusted to have claimed the id.
          throw new WebhookError('store_unavailable', `The dedupe store answered ${JSON.stringify(String(claim))} to claim(); expected claimed, in_flight or duplicate. The sender should retry.`);
        }
      }

      let answer: HandledAnswer;
      trace.stage('handlers'); // #17 telemetry
      try {
        answer = await handle(prepared, delivery);
      } catch (failure) {
        // #17 onHandlerError: 'acknowledge' answers 200 and keeps the id; the failure is still reported.
        const acknowledged = acknowledgedFailure(options.onHandlerError, failure);
        if (acknowledged !== undefined) {
          router.report(acknowledged, delivery);
          trace.fail(acknowledged);
          answer = handledAnswer(provider, prepared.parsed, undefined);
        } else {
          const released = key !== undefined && store !== undefined ? afterHandling(store, 'release', key, owner, delivery) : undefined;
          if (released !== undefined) await released;
          throw failure;
        }
      }
      // The work is done: a store failure now must not turn it into a retry (that would run it twice).
      const completed = key !== undefined && store !== undefined ? afterHandling(store, 'complete', key, owner, delivery) : undefined;
      if (completed !== undefined) await completed;
      if (answer.unsent !== undefined) router.report(answer.unsent, delivery);
      return trace.end(answer.result); // #17 telemetry
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError, delivery);
      return trace.end(errorResult(webhookError), webhookError); // #17 telemetry
    }
  }

  /** `release` or `complete`, whose failure is reported, never answered: a promise only when the store is async. */
  function afterHandling(dedupe: DedupeStore, step: 'release' | 'complete', id: string, owner: string, delivery: Delivery): PromiseLike<void> | undefined {
    try {
      const done = storeCall(dedupe, step, id, owner);
      if (isThenable(done)) return Promise.resolve(done).then(undefined, (error: unknown) => router.report(asWebhookError(error), delivery));
    } catch (error) {
      router.report(asWebhookError(error), delivery);
    }
    return undefined;
  }

  async function dispatch(parsed: ParsedDelivery, verified: VerifiedDelivery): Promise<ReceiveResult> {
    let delivery: Delivery | undefined;
    try {
      const routed = await route(parsed, verified);
      if (!('calls' in routed)) return routed;
      delivery = routed.delivery;
      const answer = await handle(routed, delivery);
      if (answer.unsent !== undefined) router.report(answer.unsent, delivery);
      return answer.result;
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError, delivery);
      throw webhookError;
    }
  }

  /** A body an adapter reads on demand: header checks first, then the read under the budget, which is released once answered. */
  async function receiveSourced(input: SourcedInput, trace: DeliveryTrace = NO_TRACE): Promise<ReceiveResult> {
    let read: Awaited<ReturnType<typeof readBodySource>>;
    try {
      trace.stage('body'); // #17 telemetry
      read = await readBodySource(input, options);
    } catch (error) {
      const webhookError = asWebhookError(error);
      router.report(webhookError);
      return trace.end(errorResult(webhookError), webhookError); // #17 telemetry
    }
    try {
      return await receive(read.input, trace);
    } finally {
      read.ticket?.release();
    }
  }

  async function prepare(input: DeliveryInput): Promise<PreparedDelivery | ReceiveResult> {
    if (!hasBodySource(input)) return prepareNow(input);
    const read = await readBodySource(input, options);
    try {
      return await prepareNow(read.input);
    } finally {
      read.ticket?.release();
    }
  }

  return { receive: (input, trace) => (hasBodySource(input) ? receiveSourced(input, trace) : receive(input, trace)), prepare, dispatch, keyFor };

  /**
   * Gives each handler its own view: a handler registered for `K` sees `type: K` and the output
   * of `K`'s schema (so a GitHub `issues` handler gets what the `issues` schema produced, as its
   * types promise); `onAny` sees the delivery's own type and the output of its schema (or its
   * nearest parent's), `mainPayload`. Any schema failing refuses the delivery (422) before it
   * is claimed. When every handler is for the delivery's own type, one view serves them all.
   */
  function prepareCalls(
    registrations: readonly Registration[],
    parsed: ParsedDelivery,
    verified: VerifiedDelivery,
    mainSchema: StandardSchemaV1 | undefined,
    mainPayload: unknown,
  ): MaybePromise<PreparedDelivery> {
    const type = parsed.type ?? '';
    const base: DeliveryBase = { id: parsed.id, timestamp: verified.timestamp, rawBody: verified.rawBody, provider: provider.name, headers: new LazyHeaders(verified.headers),
      log: deliveryLogger(options.logger, { provider: provider.name, id: parsed.id, type, tenant: options.tenant }), tenant: options.tenant }; // #17 delivery.log, tenant
    const main = createDelivery(base, type, mainPayload);
    for (const registration of registrations) {
      if (registration.type !== undefined && registration.type !== type) return withParentViews(registrations, parsed, verified, base, main, mainSchema);
    }
    const calls = registrations.map((registration) => [registration.handler, main] as const);
    return { parsed, verified, delivery: main, calls };
  }

  /** `prepareCalls` where some handlers are registered for a parent type: a view per such type, each schema validated once. */
  async function withParentViews(
    registrations: readonly Registration[],
    parsed: ParsedDelivery,
    verified: VerifiedDelivery,
    base: DeliveryBase,
    main: Delivery,
    mainSchema: StandardSchemaV1 | undefined,
  ): Promise<PreparedDelivery> {
    const outputs = new Map<StandardSchemaV1, unknown>();
    if (mainSchema !== undefined) outputs.set(mainSchema, main.payload);
    const views = new Map<string, Delivery>();
    const calls: (readonly [Registration['handler'], Delivery])[] = [];
    for (const registration of registrations) {
      const key = registration.type;
      if (key === undefined || key === main.type) {
        calls.push([registration.handler, main]);
        continue;
      }
      let view = views.get(key);
      if (view === undefined) {
        const schema = events.get(key);
        let payload = main.payload;
        if (schema !== undefined) {
          if (!outputs.has(schema)) outputs.set(schema, await validatePayload(schema, parsed.payload, main.type));
          payload = outputs.get(schema);
        }
        view = createDelivery(base, key, payload);
        views.set(key, view);
      }
      calls.push([registration.handler, view]);
    }
    return { parsed, verified, delivery: main, calls };
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

/** One store call; whatever it throws or rejects with is `store_unavailable`. Synchronous when the store is (the memory store). */
/** A token new for each delivery attempt, so a store acts on a claim only for the attempt that made it. */
function claimOwner(): string {
  return globalThis.crypto.randomUUID();
}

function storeCall<S extends 'claim' | 'complete' | 'release'>(store: DedupeStore, step: S, id: string, owner: string): ReturnType<DedupeStore[S]> {
  let answer: ReturnType<DedupeStore[S]>;
  try {
    answer = store[step](id, owner) as ReturnType<DedupeStore[S]>;
  } catch (cause) {
    throw storeUnavailable(cause);
  }
  if (!isThenable(answer)) return answer;
  return Promise.resolve(answer).then(undefined, (cause: unknown) => {
    throw storeUnavailable(cause);
  }) as ReturnType<DedupeStore[S]>;
}

function storeUnavailable(cause: unknown): WebhookError {
  return new WebhookError('store_unavailable', 'The dedupe store cannot be reached; the sender should retry.', { cause });
}

/** Anything thrown becomes a WebhookError; a handler's own error is kept as the cause, never shown. */
export function asWebhookError(error: unknown): WebhookError {
  if (error instanceof HandlerFailure) {
    return new WebhookError('handler_failed', 'The webhook handler failed; the sender should retry.', { cause: error.reason });
  }
  if (isWebhookError(error)) return error;
  return new WebhookError('handler_failed', 'The webhook could not be processed; the sender should retry.', { cause: error });
}
