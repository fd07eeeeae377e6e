import { queryableOf } from './queryable.js';
import { schemaSql, type SchemaOptions } from './schema.js';

export type MigrateOptions = SchemaOptions;

/**
 * Creates hookguard's tables when missing (the DDL of `schemaSql()`, also shipped as
 * `sql/hookguard.sql`). Run it once at deploy time or from your migration tool — never on a
 * request path. One implicit transaction, serialised by an advisory lock, so concurrent runs are safe.
 *
 * @example
 * import pg from 'pg';
 * import { migrate } from 'hookguard/postgres';
 *
 * await migrate(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 */
export async function migrate(pool: unknown, options: MigrateOptions = {}): Promise<void> {
  const db = queryableOf(pool, 'migrate()');
  // A multi-statement query without parameters runs as one implicit transaction; the lock is held to its end.
  await db.query({ text: `SELECT pg_advisory_xact_lock(hashtext('hookguard.migrate'));\n${schemaSql(options)}` });
}
