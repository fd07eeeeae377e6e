import type { WebhookError } from '../core/errors.js';
import type { BodyBudget } from '../core/body-budget.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import type { Provider, ProviderTypes } from '../providers/types.js';
import type { DedupeStore } from '../stores/types.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { Logger } from './logger.js';
import type { KnownEvents } from '../catalogs/names/known-events.js';
import type { OpenTelemetryOptions } from '../telemetry/instruments.js';
import type { DeliveryListener } from '../telemetry/delivery-event.js';

/** Event type → schema of its payload (zod 4, valibot, arktype: any Standard Schema v1). */
export type EventSchemas = Record<string, StandardSchemaV1>;

// How names and payloads are typed, in order: an `events` schema for the name (validated at run
// time), else the provider's catalog (GitHub, Stripe, … types), else any name with `unknown`.
// `C` is a provider's `ProviderTypes['events']`: a catalog, or a type including `undefined` for none.

/** The names `events` declares (none without an `events` map). */
type SchemaNames<E extends EventSchemas | undefined> = [E] extends [EventSchemas] ? keyof E & string : never;

/** The names the provider's catalog declares (none for an untyped provider). */
type CatalogNames<C> = undefined extends C ? never : keyof C & string;

/** The event types `on` accepts: the catalog's names and those of `events`; with neither, any string. */
export type EventType<E extends EventSchemas | undefined, C = undefined> = undefined extends C
  ? [E] extends [EventSchemas] ? keyof E & string : string
  : CatalogNames<C> | SchemaNames<E>;

/** The payload type a handler for `K` receives: its schema's output, else its catalog type, else `unknown`. */
export type PayloadOf<E extends EventSchemas | undefined, K extends string, C = undefined> = K extends SchemaNames<E>
  ? SchemaOutput<NonNullable<E>[K]>
  : undefined extends C
    ? unknown
    : CatalogPayload<C, K>;

// No `K & keyof C`: over K's constraint (every catalog name) that intersection is a cross product
// of two 323-name unions, which TypeScript refuses as too complex.
type CatalogPayload<C, K extends string> = K extends keyof C ? C[K] : unknown;

/** What `onAny` receives: the union of the catalog's payloads and the schemas' outputs; `unknown` without a catalog. */
export type AnyPayload<E extends EventSchemas | undefined, C = undefined> = undefined extends C
  ? unknown
  : NonNullable<C>[keyof NonNullable<C>] | PayloadOf<E, SchemaNames<E>, C>;

/**
 * `Receiver` written without its second argument: a receiver of any provider is assignable to it
 * (adapters accept `Receiver<E>`), and it types handlers as an untyped provider does.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only `any` makes every provider's types assignable here
export type AnyProviderTypes = ProviderTypes<any, any>;

/** The type of `delivery.id` a provider promises: `string` where its sender always sends one. */
// `infer`, not `T['id']`: that one is resolved through T's constraint (`string | undefined`) and never seen as `any`.
type IdOf<T extends ProviderTypes> = T extends { readonly id: infer Id } ? (IsAny<Id> extends true ? string | undefined : Id) : never;

type IsAny<X> = 0 extends 1 & X ? true : false;

/**
 * A schema's output type: its `~standard.types.output` (zod, valibot, arktype declare it), or,
 * for a hand-written schema that leaves the optional `types` out, what its `validate` returns
 * as `value`.
 */
export type SchemaOutput<S> = S extends { readonly '~standard': infer P } ? DeclaredOutput<P> : unknown;

// A key test, not `P extends { types?: … }`: that pattern is a weak type, which an object without
// `types` fails to match outright.
type DeclaredOutput<P> = 'types' extends keyof P
  ? NonNullable<P['types' & keyof P]> extends { readonly output: infer O }
    ? O
    : ValidatedOutput<P>
  : ValidatedOutput<P>;

type ValidatedOutput<P> = P extends { readonly validate: (value: unknown) => infer R } ? SuccessValue<Awaited<R>> : unknown;

type SuccessValue<R> = R extends { readonly issues?: undefined; readonly value: infer O } ? O : never;

/** One verified, validated, deduplicated delivery, as a handler receives it. */
export interface Delivery<Type extends string = string, Payload = unknown, Id extends string | undefined = string | undefined> {
  /** The sender's delivery id (dedupe key); undefined where the sender gives none; typed `string` where it always sends one. */
  readonly id: Id;
  /**
   * The event type this handler was registered for: an `issues` handler of a GitHub `issues.opened`
   * delivery sees `issues` (and the `issues` schema's output). `onAny` sees the delivery's own type.
   */
  readonly type: Type;
  /** The decoded body: validated against the schema registered for `type` when there is one. */
  readonly payload: Payload;
  /** Unix seconds of the signed timestamp, where the sender signs one. */
  readonly timestamp: number | undefined;
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exactly the bytes that were verified. */
  readonly rawBody: Uint8Array;
  /** The provider's name (`stripe`, `github`, …). */
  readonly provider: string;
  /**
   * The receiver's `logger` bound to this delivery (`child({ provider, id, type })` where the
   * logger has `child`); silent unless a `logger` was given.
   */
  readonly log: Logger;
  /** The tenant whose secrets verified this delivery, with a `perTenant` provider. */
  readonly tenant?: string;
}

/** A handler answers with `reply(…)`; a plain return value is the reply only where the sender expects one (Discord interactions, Slack commands and interactivity). */
export type Handler<Type extends string = string, Payload = unknown, Id extends string | undefined = string | undefined> = (delivery: Delivery<Type, Payload, Id>) => unknown;

export type ErrorHandler = (error: WebhookError, delivery?: Delivery) => void;

export type UnhandledPolicy = 'ignore' | 'reject';

/** What a failed handler answers: 500 and the id released (`retry`), or 200 and the id kept (`acknowledge`). */
export type HandlerErrorPolicy = 'retry' | 'acknowledge';

export interface ReceiverOptions<E extends EventSchemas | undefined = undefined, T extends ProviderTypes = ProviderTypes> {
  /** A preset with an event catalog (GitHub, Stripe, Slack, Discord, Clerk) types `on()` names and payloads. */
  provider: Provider<T>;
  /**
   * Event type → payload schema; a delivery of a listed type that fails its schema answers 422.
   * With a catalog preset, a schema's output overrides the catalog's type for its name.
   */
  events?: E;
  /** Overrides the provider's replay window (seconds, > 0; `Infinity` turns it off explicitly). */
  toleranceSeconds?: number;
  /** Largest body accepted, decoded size included; default 1 MiB (the GitHub preset: 25 MiB). */
  maxBodyBytes?: number;
  /** Where delivery ids are remembered; default a `memoryStore()` of its own; `false` turns dedupe off. */
  dedupe?: DedupeStore | false;
  /** A type with no handler: answer 200 `ignored` (default) or 422 `schema_mismatch`. */
  unhandled?: UnhandledPolicy;
  /**
   * Prefix of this receiver's dedupe keys and queue job ids; default the provider's name. Give
   * each receiver its own (e.g. a tenant id) when receivers of the same sender share one store:
   * two tenants' `order-1001` would otherwise be one id.
   */
  namespace?: string;
  /**
   * How long the handlers of one delivery may run (default 30,000 ms; `false`: no limit). Past
   * it the delivery answers 503 `handler_timeout` and its id is released, so the sender's retry
   * runs the handlers again — while the first run may still be going: handlers must be idempotent.
   */
  handlerTimeoutMs?: number | false;
  /**
   * How long an adapter reading a request stream waits for the whole body (default 30,000 ms;
   * `false`: no limit): a body still arriving then answers 408 `body_timeout` and the connection
   * is closed. Stops slow-drip senders from holding connections open.
   */
  bodyTimeoutMs?: number | false;
  /**
   * How long a body may send nothing before it answers 408 `body_timeout` (default 10,000 ms;
   * `false`: no limit), so a stalled body is refused well before `bodyTimeoutMs`.
   */
  bodyIdleTimeoutMs?: number | false;
  /**
   * Bytes buffered and inflated across every request in flight (default: one 64 MiB budget
   * shared by the whole process). Past it, a request answers 503 `overloaded` with `Retry-After`
   * instead of being read. Share one `createBodyBudget({ maxBytes })` between receivers, or size it.
   */
  bodyBudget?: BodyBudget;
  /**
   * Where hookguard writes (the common shape: console, pino, winston). Default: silent, except
   * warnings of a misconfiguration, to `console.warn`; `false`: nothing. Written today: a warning
   * for an `on()` name no delivery will carry (see `knownEvents`), and `ignored` deliveries — the
   * first of each type at info, the rest at debug. Handlers get `delivery.log`, the logger's
   * `child` bound to the delivery where it has one. No line ever holds a secret, a key or an
   * expected signature.
   *
   * @example
   * createReceiver({ provider, logger: console });   // also shows ignored deliveries
   * createReceiver({ provider, logger: false });     // nothing, not even warnings
   */
  logger?: Logger | false;
  /**
   * The event names the sender sends, at run time: `on()` with any other name (a typo from plain
   * JavaScript, a cast) warns once through `logger`. The catalogs' lists are in `hookguard/catalogs`;
   * any `Set<string>` works for your own sender. The `events` map's names count as known.
   *
   * @example
   * import { githubEventNames } from 'hookguard/catalogs';
   * createReceiver({ provider: providers.github({ secret }), knownEvents: githubEventNames });
   */
  knownEvents?: KnownEvents;
  /**
   * A span per delivery and the `hookguard.deliveries` / `hookguard.delivery.duration` metrics,
   * through `@opentelemetry/api` when it is installed (an optional peer) and the application
   * registered providers. `false` turns them off; `{ tracerProvider, meterProvider }` uses
   * these rather than the global ones.
   */
  openTelemetry?: OpenTelemetryOptions | false;
  /**
   * A handler that throws or rejects: `'retry'` (default) answers 500 `handler_failed` and
   * releases the id, so the sender's retry runs it again; `'acknowledge'` answers 200, keeps the
   * id done and reports the failure (`onDelivery`, `onError`, span status, log) — for teams that
   * retry on their side or send failures to a dead-letter store. `handler_timeout` stays 503.
   */
  onHandlerError?: HandlerErrorPolicy;
}

export interface CloseOptions {
  /** Stop waiting after this long (ms); the deliveries still running finish on their own. Default: wait for all. */
  timeoutMs?: number;
}

export interface Receiver<E extends EventSchemas | undefined = undefined, T extends ProviderTypes = AnyProviderTypes> {
  /**
   * Registers a handler for one event type; its payload type comes from that type's schema.
   *
   * @example
   * receiver.on('invoice.paid', async ({ payload }) => { await markPaid(payload.data.id) });
   */
  on<K extends EventType<E, T['events']>>(type: K, handler: Handler<K, PayloadOf<E, K, T['events']>, IdOf<T>>): this;
  /** Registers a handler for every verified delivery. It counts as handling: nothing is `ignored`. */
  onAny(handler: Handler<string, AnyPayload<E, T['events']>, IdOf<T>>): this;
  /** Observes every refusal and handler failure; it never changes the answer. */
  onError(handler: ErrorHandler): this;
  /**
   * Observes every delivery once it is answered — handled, duplicate, ignored, refused (a bad
   * signature included) — with its provider, type, id, outcome, status and stage timings.
   * It never changes the answer.
   *
   * @example
   * receiver.onDelivery(({ provider, outcome, durationMs }) => metrics.observe(provider, outcome, durationMs));
   */
  onDelivery(listener: DeliveryListener): this;
  /** The whole pipeline, no HTTP: method → verify → handshake → parse → validate → dedupe → route. */
  receive(input: DeliveryInput): Promise<ReceiveResult>;
  /** The body limit adapters enforce while reading (bytes, decoded size included). */
  readonly maxBodyBytes: number;
  /** How long adapters wait for a body to finish arriving (ms), or false. */
  readonly bodyTimeoutMs: number | false;
  /**
   * Starts a graceful shutdown: deliveries arriving from now on answer 503 `shutting_down` (the
   * sender retries them, against another instance or after the restart), while those already
   * being handled run to the end. Resolves `true` once they all have, or `false` when `timeoutMs`
   * passed first. Call it on SIGTERM, then close the HTTP server.
   *
   * @example
   * process.once('SIGTERM', async () => {
   *   await receiver.close({ timeoutMs: 25_000 });
   *   server.close();
   * });
   */
  close(options?: CloseOptions): Promise<boolean>;
  /** The provider this receiver verifies with. */
  readonly provider: Provider<T>;
  /**
   * The answer for a failure an adapter met before `receive` (body too large, unreadable,
   * consumed by another parser); reports it to `onError` like any other refusal.
   */
  fail(error: unknown): ReceiveResult;
}
