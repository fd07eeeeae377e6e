import { z } from 'zod';
import { WebhookError } from '../core/errors.js';
import type { DedupeStore } from '../stores/types.js';
import type { Provider } from '../providers/types.js';
import type { EventSchemas, UnhandledPolicy } from './types.js';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const fn = z.custom<(...args: unknown[]) => unknown>((value) => typeof value === 'function');

const optionsSchema = z.strictObject({
  provider: z.object({ name: z.string(), verify: fn, parse: fn, sign: fn }),
  events: z
    .record(z.string(), z.custom<EventSchemas[string]>((value) => typeof value === 'object' && value !== null && '~standard' in value, {
      error: 'each event must map to a schema (zod 4, valibot, arktype: any Standard Schema v1)',
    }))
    .optional(),
  toleranceSeconds: z.number().positive('must be > 0 (use Infinity to turn the replay check off explicitly)').optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  dedupe: z
    .union([z.literal(false), z.object({ claim: fn, complete: fn, release: fn })], {
      error: 'must be a store with claim/complete/release (memoryStore(), redisStore()) or false',
    })
    .optional(),
  unhandled: z.enum(['ignore', 'reject']).optional(),
});

export interface ResolvedOptions {
  provider: Provider;
  events: EventSchemas;
  toleranceSeconds: number | undefined;
  maxBodyBytes: number;
  dedupe: DedupeStore | false;
  unhandled: UnhandledPolicy;
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
        ? `createReceiver(): unknown option ${issue.keys.map((key) => `\`${key}\``).join(', ')}; the options are provider, events, toleranceSeconds, maxBodyBytes, dedupe, unhandled.`
        : `createReceiver(): \`${name}\` ${issue.message}.`;
    throw new WebhookError('misconfigured', message);
  }
  const value = result.data;
  const provider = value.provider as unknown as Provider;
  return {
    provider,
    events: (value.events ?? {}) as EventSchemas,
    toleranceSeconds: value.toleranceSeconds,
    maxBodyBytes: value.maxBodyBytes ?? provider.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    dedupe: value.dedupe === undefined ? defaultStore() : (value.dedupe as DedupeStore | false),
    unhandled: value.unhandled ?? 'ignore',
  };
}
