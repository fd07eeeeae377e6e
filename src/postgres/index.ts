/**
 * hookguard/postgres: dedupe, an ack-first queue (pg-boss) and a delivery log on Postgres.
 *
 * @module
 */
export { postgresStore, type PostgresStore, type PostgresStoreOptions } from '../stores/postgres.js';
export { migrate, type MigrateOptions } from './migrate.js';
export { schemaSql, type SchemaOptions } from './schema.js';
export type { Queryable } from './queryable.js';
