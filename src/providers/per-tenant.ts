import { WebhookError } from '../core/errors.js';
import { isThenable, type MaybePromise } from '../core/maybe-async.js';
import type { DeliveryInput } from '../core/types.js';
import type { Provider } from './types.js';

/** A tenant's secrets (or keys): one, or several during a rotation (any one may verify). */
export type TenantSecrets = string | readonly string[];

/** What `tenant` is given: the request without its body (read only after the tenant's header checks). */
export type TenantRequest = Omit<DeliveryInput, 'body'>;

export interface PerTenantOptions {
  /** The provider's name, for dedupe namespaces, metrics and logs (`stripe`, `github`, …). */
  name: string;
  /**
   * The tenant of a request: from its path, a header, or `input.tenant` an adapter's caller set.
   * Undefined: the request names no tenant (401 `unknown_tenant`).
   */
  tenant(request: TenantRequest): string | undefined;
  /**
   * The tenant's secrets, sync or async (a database or cache lookup). Undefined, null or an empty
   * list: no such tenant (401 `unknown_tenant`). A throw or rejection: 503 `secret_unavailable`,
   * so the sender retries. Never called twice at once for one tenant.
   */
  secrets(tenant: string): MaybePromise<TenantSecrets | null | undefined>;
  /** Builds the tenant's provider from its secrets, once per cache entry: `(secret) => providers.stripe({ secret })`. */
  provider(secrets: TenantSecrets): Provider;
  /** Providers kept per receiver: at most `maxEntries` tenants (least recently used go first), each for `ttlSeconds`. Default 1,000 and 60 s. */
  cache?: { maxEntries?: number; ttlSeconds?: number };
  /** The largest body a tenant may send (default: the receiver's, else 1 MiB). */
  maxBodyBytes?: number;
}

const TENANTS = Symbol.for('hookguard.perTenant');

/** A provider whose secrets are looked up per request: use it as a receiver's `provider`, or with `verifyWebhookAsync`. */
export interface TenantProvider extends Provider {
  readonly [TENANTS]: Required<Pick<PerTenantOptions, 'tenant' | 'secrets' | 'provider'>> & { maxEntries: number; ttlMs: number };
}

/**
 * A provider whose secret is a function of the request: a platform receiving webhooks for many
 * tenants on one route looks each tenant's secrets up (a database, a cache) instead of fixing
 * them at start-up. Rotation works as usual: return several secrets. Each receiver keeps the
 * built providers in its own bounded cache (LRU + TTL); a lookup that fails is not cached.
 *
 * @example
 * const provider = perTenant({
 *   name: 'stripe',
 *   tenant: (request) => new URL(request.url ?? '/', 'http://x').pathname.split('/')[2],  // /webhooks/:tenant
 *   secrets: (tenant) => redis.hget('stripe-secrets', tenant),                              // null: unknown tenant
 *   provider: (secret) => providers.stripe({ secret }),
 * });
 * app.post('/webhooks/:tenant', expressMiddleware(createReceiver({ provider })));
 */
export function perTenant(options: PerTenantOptions): TenantProvider {
  if (typeof options !== 'object' || options === null) throw misconfigured('pass { name, tenant, secrets, provider }');
  for (const key of ['tenant', 'secrets', 'provider'] as const) {
    if (typeof options[key] !== 'function') throw misconfigured(`\`${key}\` must be a function`);
  }
  if (typeof options.name !== 'string' || options.name === '') throw misconfigured('`name` must be the provider name, e.g. "stripe"');
  const maxEntries = options.cache?.maxEntries ?? 1000;
  const ttlSeconds = options.cache?.ttlSeconds ?? 60;
  if (!(Number.isSafeInteger(maxEntries) && maxEntries > 0)) throw misconfigured('`cache.maxEntries` must be a whole number > 0');
  if (!(typeof ttlSeconds === 'number' && ttlSeconds > 0)) throw misconfigured('`cache.ttlSeconds` must be a number of seconds > 0');
  const unusable = (): never => {
    throw misconfigured('its secrets depend on the request: use it as a receiver\'s provider, or verifyWebhookAsync()');
  };
  const provider: TenantProvider = {
    name: options.name,
    verify: unusable,
    parse: unusable,
    sign: unusable,
    [TENANTS]: { tenant: options.tenant, secrets: options.secrets, provider: options.provider, maxEntries, ttlMs: ttlSeconds * 1000 },
  };
  if (options.maxBodyBytes !== undefined) (provider as { maxBodyBytes?: number }).maxBodyBytes = options.maxBodyBytes;
  return provider;
}

export function isTenantProvider(provider: Provider): provider is TenantProvider {
  return (provider as Partial<TenantProvider>)[TENANTS] !== undefined;
}

/** One tenant's provider, and how long it may be used. */
interface Entry {
  provider: Provider;
  expires: number;
}

/**
 * A receiver's tenants: the provider of each, built from its secrets and kept in a bounded LRU
 * with a TTL. Concurrent requests of one tenant share one lookup.
 */
export class TenantProviders {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Provider>>();
  private readonly spec: TenantProvider[typeof TENANTS];

  constructor(provider: TenantProvider, private readonly clock: () => number = Date.now) {
    this.spec = provider[TENANTS];
  }

  /** The tenant of a request (throws `unknown_tenant` when it names none). */
  tenantOf(request: TenantRequest): string {
    let tenant: string | undefined;
    try {
      tenant = this.spec.tenant(request);
    } catch (cause) {
      throw new WebhookError('unknown_tenant', 'The request names no tenant this receiver knows.', { cause });
    }
    if (typeof tenant !== 'string' || tenant === '') throw new WebhookError('unknown_tenant', 'The request names no tenant this receiver knows.');
    return tenant;
  }

  /** The tenant's provider: from the cache, or looked up (`secret_unavailable`, `unknown_tenant`). */
  providerFor(tenant: string): MaybePromise<Provider> {
    const now = this.clock();
    const entry = this.entries.get(tenant);
    if (entry !== undefined) {
      this.entries.delete(tenant);
      if (entry.expires > now) {
        this.entries.set(tenant, entry); // most recently used last
        return entry.provider;
      }
    }
    const running = this.pending.get(tenant);
    if (running !== undefined) return running;
    let found: MaybePromise<TenantSecrets | null | undefined>;
    try {
      found = this.spec.secrets(tenant);
    } catch (cause) {
      throw unavailable(cause);
    }
    if (!isThenable(found)) return this.store(tenant, found);
    const lookup = Promise.resolve(found).then(
      (secrets) => this.store(tenant, secrets),
      (cause: unknown) => {
        throw unavailable(cause);
      },
    );
    const shared = lookup.finally(() => this.pending.delete(tenant));
    this.pending.set(tenant, shared);
    return shared;
  }

  private store(tenant: string, secrets: TenantSecrets | null | undefined): Provider {
    if (secrets === undefined || secrets === null || secrets === '' || (Array.isArray(secrets) && secrets.length === 0)) {
      throw new WebhookError('unknown_tenant', 'The request names no tenant this receiver knows.');
    }
    const provider = this.spec.provider(secrets);
    this.entries.set(tenant, { provider, expires: this.clock() + this.spec.ttlMs });
    if (this.entries.size > this.spec.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return provider;
  }
}

function unavailable(cause: unknown): WebhookError {
  return new WebhookError('secret_unavailable', "The tenant's secrets cannot be looked up right now; the sender should retry.", { cause });
}

function misconfigured(fix: string): WebhookError {
  return new WebhookError('misconfigured', `perTenant(): ${fix}.`);
}
