import { BodyBudget, processBodyBudget } from '../core/body-budget.js';
import { WebhookError } from '../core/errors.js';
import type { DedupeStore } from '../stores/types.js';
import type { Provider } from '../providers/types.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { EventSchemas, HandlerErrorPolicy, UnhandledPolicy } from './types.js';
import type { KnownEvents } from '../catalogs/names/known-events.js';
import { resolveLogger, type Logger } from './logger.js';
import type { OpenTelemetryOptions } from '../telemetry/instruments.js';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Longer than any major sender waits for an answer (GitHub 10 s, Stripe 20 s, Svix 15 s): only a hung handler meets it. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
/** Enough for the 1 MiB default at ~35 KB/s, or GitHub's 25 MiB at ~1 MB/s; a slow drip meets it. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** A sender that stops sending mid-body for this long is refused: real senders write a body in one go. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 10_000;
/** setTimeout's ceiling: a larger delay fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One check per option: true when the value is acceptable, and what to write instead.
 * Plain code rather than a schema library, so a minimal receiver bundles without one; the
 * messages never echo the value (a secret put in the wrong option must not reach a log).
 */
interface OptionRule {
  valid(value: unknown): boolean;
  fix: string;
}

const MILLISECONDS: OptionRule = {
  valid: (value) => value === false || (Number.isInteger(value) && (value as number) > 0 && (value as number) <= MAX_TIMER_MS),
  fix: `must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}, or false to turn it off`,
};

const RULES: Record<string, OptionRule> = {
  provider: {
    valid: (value) => isObject(value) && typeof value.name === 'string' && hasFunctions(value, 'verify', 'parse', 'sign'),
    fix: 'must be a provider built with providers.X(…), e.g. providers.stripe({ secret })',
  },
  events: {
    valid: (value) => isObject(value) && !Array.isArray(value),
    fix: 'must map each event type to a schema (zod 4, valibot, arktype: any Standard Schema v1)',
  },
  // Infinity is the documented way to turn the window off; NaN > 0 is false.
  toleranceSeconds: {
    valid: (value) => typeof value === 'number' && value > 0,
    fix: 'must be a number of seconds > 0 (use Infinity to turn the replay check off explicitly)',
  },
  maxBodyBytes: {
    valid: (value) => Number.isSafeInteger(value) && (value as number) > 0,
    fix: 'must be a whole number of bytes > 0',
  },
  dedupe: {
    valid: (value) => value === false || (isObject(value) && hasFunctions(value, 'claim', 'complete', 'release')),
    fix: 'must be a store with claim/complete/release (memoryStore(), redisStore()) or false',
  },
  unhandled: {
    valid: (value) => value === 'ignore' || value === 'reject',
    fix: "must be 'ignore' or 'reject'",
  },
  namespace: {
    valid: (value) => typeof value === 'string' && value.length >= 1 && value.length <= 200,
    fix: 'must be a string of 1 to 200 characters (e.g. a tenant id)',
  },
  handlerTimeoutMs: MILLISECONDS,
  bodyTimeoutMs: MILLISECONDS,
  bodyIdleTimeoutMs: MILLISECONDS,
  bodyBudget: {
    valid: (value) => value instanceof BodyBudget,
    fix: 'must be a budget made by createBodyBudget({ maxBytes })',
  },
  logger: {
    valid: (value) => value === false || (isObject(value) && hasFunctions(value, 'debug', 'info', 'warn', 'error')),
    fix: 'must be a logger with debug, info, warn and error methods (console, pino, winston) or false to log nothing',
  },
  knownEvents: {
    valid: (value) => isObject(value) && hasFunctions(value, 'has'),
    fix: "must have a has(name) method: a Set<string>, or a list from 'hookguard/catalogs' (githubEventNames, …)",
  },
  openTelemetry: {
    valid: (value) => value === false || (isObject(value) && Object.keys(value).every((key) => key === 'tracerProvider' || key === 'meterProvider')),
    fix: 'must be false (no spans or metrics) or { tracerProvider?, meterProvider? } to use providers other than the global ones',
  },
  onHandlerError: {
    valid: (value) => value === 'retry' || value === 'acknowledge',
    fix: "must be 'retry' (answer 500 and release the id) or 'acknowledge' (answer 200 and keep it)",
  },
};

export interface ResolvedOptions {
  provider: Provider;
  /** A Map, so an event type such as `constructor` or `__proto__` never finds Object.prototype's members. */
  events: ReadonlyMap<string, StandardSchemaV1>;
  toleranceSeconds: number | undefined;
  maxBodyBytes: number;
  dedupe: DedupeStore | false;
  unhandled: UnhandledPolicy;
  /** Prefix of every dedupe key and queue job id (`dedupeKey`); default the provider's name. */
  namespace: string;
  /** Handlers that have not settled by then answer 503 `handler_timeout`; false: no limit. */
  handlerTimeoutMs: number | false;
  /** Adapters that read a stream give up on a body after this long: 408 `body_timeout`; false: no limit. */
  bodyTimeoutMs: number | false;
  /** A body that sends nothing for this long answers 408 `body_timeout`; false: no limit. */
  bodyIdleTimeoutMs: number | false;
  /** Bytes buffered and inflated across all requests in flight; past it, 503 `overloaded`. */
  bodyBudget: BodyBudget;
  /** Where warnings and delivery notes go (`resolveLogger`). */
  logger: Logger;
  /** The names `on()` checks against, when given. */
  knownEvents: KnownEvents | undefined;
  /** false: no spans or metrics even where `@opentelemetry/api` is installed. */
  openTelemetry: OpenTelemetryOptions | false;
  onHandlerError: HandlerErrorPolicy;
  /** Set on the pipeline built for one tenant of a `perTenant` provider. */
  tenant?: string;
}

interface CheckedOptions {
  provider: Provider;
  events?: EventSchemas;
  toleranceSeconds?: number;
  maxBodyBytes?: number;
  dedupe?: DedupeStore | false;
  unhandled?: UnhandledPolicy;
  namespace?: string;
  handlerTimeoutMs?: number | false;
  bodyTimeoutMs?: number | false;
  bodyIdleTimeoutMs?: number | false;
  bodyBudget?: BodyBudget;
  logger?: Logger | false;
  knownEvents?: KnownEvents;
  openTelemetry?: OpenTelemetryOptions | false;
  onHandlerError?: HandlerErrorPolicy;
}

/** Validates options at start-up; the first problem throws `misconfigured` naming the option. */
export function parseOptions(options: unknown, defaultStore: () => DedupeStore): ResolvedOptions {
  const value = checkOptions(options);
  const provider = value.provider;
  const maxBodyBytes = value.maxBodyBytes ?? provider.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyBudget = value.bodyBudget ?? processBodyBudget;
  if (maxBodyBytes > bodyBudget.maxBytes) {
    throw misconfigured('createReceiver(): `maxBodyBytes` is larger than the `bodyBudget` shared by all requests in flight, so the largest bodies could never be read; give a larger createBodyBudget({ maxBytes }).');
  }
  return {
    provider,
    events: toMap(value.events),
    toleranceSeconds: value.toleranceSeconds,
    maxBodyBytes,
    dedupe: value.dedupe === undefined ? defaultStore() : value.dedupe,
    unhandled: value.unhandled ?? 'ignore',
    namespace: value.namespace ?? provider.name,
    handlerTimeoutMs: value.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    bodyTimeoutMs: value.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    bodyIdleTimeoutMs: value.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS,
    bodyBudget,
    logger: resolveLogger(value.logger),
    knownEvents: value.knownEvents,
    openTelemetry: value.openTelemetry ?? {},
    onHandlerError: value.onHandlerError ?? 'retry',
  };
}

function checkOptions(options: unknown): CheckedOptions {
  if (!isObject(options)) {
    throw misconfigured('createReceiver(): pass an options object with at least `provider`, e.g. createReceiver({ provider: providers.stripe({ secret }) }).');
  }
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(RULES, key));
  if (unknown.length > 0) {
    throw misconfigured(`createReceiver(): unknown option ${unknown.map((key) => `\`${key}\``).join(', ')}; the options are ${Object.keys(RULES).join(', ')}.`);
  }
  for (const [name, rule] of Object.entries(RULES)) {
    const value = options[name];
    if (value === undefined && name !== 'provider') continue;
    if (!rule.valid(value)) throw misconfigured(`createReceiver(): \`${name}\` ${rule.fix}.`);
  }
  for (const [type, schema] of Object.entries((options.events ?? {}) as Record<string, unknown>)) {
    if (!isStandardSchema(schema)) {
      throw misconfigured(`createReceiver(): \`events.${type}\` ${RULES.events?.fix ?? ''}.`);
    }
  }
  // The user's own objects are kept, never copies: a copy of a class-based store would lose the
  // `this` its methods need.
  return options as unknown as CheckedOptions;
}

/** Any Standard Schema v1: an object (zod, valibot) or a callable (arktype) with `~standard.validate`. */
function isStandardSchema(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function hasFunctions(value: Record<string, unknown>, ...names: string[]): boolean {
  return names.every((name) => typeof value[name] === 'function');
}

function misconfigured(message: string): WebhookError {
  return new WebhookError('misconfigured', message);
}

function toMap(events: EventSchemas | undefined): ReadonlyMap<string, StandardSchemaV1> {
  return new Map(events === undefined ? [] : Object.entries(events));
}
