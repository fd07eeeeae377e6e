import { z } from 'zod';
import { WebhookError } from '../core/errors.js';
import type { DedupeStore } from '../stores/types.js';
import type { Provider } from '../providers/types.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { EventSchemas, UnhandledPolicy } from './types.js';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Longer than any major sender waits for an answer (GitHub 10 s, Stripe 20 s, Svix 15 s): only a hung handler meets it. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
/** Enough for the 1 MiB default at ~35 KB/s, or GitHub's 25 MiB at ~1 MB/s; a slow drip meets it. */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;
/** setTimeout's ceiling: a larger delay fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

const milliseconds = z
  .union([z.literal(false), z.number().int().positive().max(MAX_TIMER_MS)], {
    error: `must be a whole number of milliseconds between 1 and ${MAX_TIMER_MS}, or false to turn it off`,
  })
  .optional();

const fn = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function');

const optionsSchema = z.strictObject({
  provider: z.object({ name: z.string(), verify: fn, parse: fn, sign: fn }),
  events: z
    .record(z.string(), z.custom<EventSchemas[string]>(isStandardSchema, {
      error: 'each event must map to a schema (zod 4, valibot, arktype: any Standard Schema v1)',
    }))
    .optional(),
  // z.number() refuses Infinity, which is the documented way to turn the window off; NaN > 0 is false.
  toleranceSeconds: z
    .custom<number>((value) => typeof value === 'number' && value > 0, {
      error: 'must be a number of seconds > 0 (use Infinity to turn the replay check off explicitly)',
    })
    .optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  dedupe: z
    .union([z.literal(false), z.object({ claim: fn, complete: fn, release: fn })], {
      error: 'must be a store with claim/complete/release (memoryStore(), redisStore()) or false',
    })
    .optional(),
  unhandled: z.enum(['ignore', 'reject']).optional(),
  namespace: z.string().min(1, { error: 'must be a non-empty string (e.g. a tenant id)' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  handlerTimeoutMs: milliseconds,
  bodyTimeoutMs: milliseconds,
});

/** Any Standard Schema v1: an object (zod, valibot) or a callable (arktype) with `~standard.validate`. */
function isStandardSchema(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}

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
}

/** Validates options at start-up; the first problem throws `misconfigured` naming the option. */
export function parseOptions(options: unknown, defaultStore: () => DedupeStore): ResolvedOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const name = issue.path.length > 0 ? issue.path.map(String).join('.') : 'options';
    const message =
      issue.path[0] === 'provider'
        ? 'createReceiver(): `provider` must be a provider built with providers.X(…), e.g. providers.stripe({ secret }).'
        : issue.code === 'unrecognized_keys'
        ? `createReceiver(): unknown option ${issue.keys.map((key) => `\`${key}\``).join(', ')}; the options are provider, events, toleranceSeconds, maxBodyBytes, dedupe, unhandled, namespace, handlerTimeoutMs, bodyTimeoutMs.`
        : `createReceiver(): \`${name}\` ${issue.message}.`;
    throw new WebhookError('misconfigured', message);
  }
  // zod checked the shapes; keep the user's own objects, not zod's copies: a copy of the provider
  // drops `handshake`, `maxBodyBytes` and `toleranceSeconds`, and a copy of a class-based store
  // loses the `this` its methods need.
  const value = result.data;
  const original = options as { provider: Provider; events?: EventSchemas; dedupe?: DedupeStore | false };
  const provider = original.provider;
  return {
    provider,
    events: toMap(original.events),
    toleranceSeconds: value.toleranceSeconds,
    maxBodyBytes: value.maxBodyBytes ?? provider.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    dedupe: original.dedupe === undefined ? defaultStore() : original.dedupe,
    unhandled: value.unhandled ?? 'ignore',
    namespace: value.namespace ?? provider.name,
    handlerTimeoutMs: value.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    bodyTimeoutMs: value.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  };
}

function toMap(events: EventSchemas | undefined): ReadonlyMap<string, StandardSchemaV1> {
  return new Map(events === undefined ? [] : Object.entries(events));
}
