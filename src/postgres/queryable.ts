import { WebhookError } from '../core/errors.js';

/**
 * What hookguard needs of a Postgres pool: `query` with a `pg` query config. A `pg` Pool or
 * Client fits, and so do pg-compatible drivers (`@neondatabase/serverless` Pool).
 */
export interface Queryable {
  query(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

/** Throws `misconfigured` unless `pool` can run queries. */
export function queryableOf(pool: unknown, caller: string): Queryable {
  if (typeof pool !== 'object' || pool === null || typeof (pool as Queryable).query !== 'function') {
    throw new WebhookError('misconfigured', `${caller}: \`pool\` must be a pg Pool (or any pg-compatible pool), e.g. new pg.Pool({ connectionString: process.env.DATABASE_URL }).`);
  }
  return pool as Queryable;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** `name` or `schema.name`, each part a plain identifier, quoted for SQL. */
export function tableName(value: unknown, option: string, caller: string): string {
  const parts = typeof value === 'string' ? value.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => NAME.test(part))) {
    throw new WebhookError('misconfigured', `${caller}: \`${option}\` must be a table name like 'hookguard_dedupe' or 'myschema.hookguard_dedupe' (letters, digits, _); got ${JSON.stringify(value)}.`);
  }
  return parts.map((part) => `"${part}"`).join('.');
}

/** A positive number of seconds, or `misconfigured` naming the option. */
export function seconds(value: unknown, option: string, caller: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value < 0.001)) {
    throw new WebhookError('misconfigured', `${caller}: \`${option}\` must be a finite number of seconds ${allowZero ? '≥ 0' : '≥ 0.001'}; got ${String(value)}.`);
  }
  return value;
}
