import { tableName } from './queryable.js';

export interface SchemaOptions {
  /** The dedupe table. Default `'hookguard_dedupe'`; `'schema.table'` works too. */
  table?: string;
  /** The delivery log table. Default `'hookguard_deliveries'`. */
  logTable?: string;
}

/**
 * The DDL `migrate()` runs: idempotent (`IF NOT EXISTS`), so running it again is harmless. With
 * the default names it is the text of `sql/hookguard.sql` in the package, for teams that run
 * migrations with their own tool.
 */
export function schemaSql(options: SchemaOptions = {}): string {
  const dedupe = tableName(options.table ?? 'hookguard_dedupe', 'table', 'schemaSql()');
  const log = tableName(options.logTable ?? 'hookguard_deliveries', 'logTable', 'schemaSql()');
  const bare = (table: string) => table.split('.').pop()!.replaceAll('"', '');
  return `-- hookguard: the Postgres dedupe store and delivery log. Idempotent: safe to run again.
CREATE TABLE IF NOT EXISTS ${dedupe} (
  namespace  text        NOT NULL,
  key        text        NOT NULL,
  state      text        NOT NULL CHECK (state IN ('pending', 'done')),
  owner      text,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX IF NOT EXISTS "${bare(dedupe)}_expires_at" ON ${dedupe} (expires_at);

CREATE TABLE IF NOT EXISTS ${log} (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  provider      text             NOT NULL,
  delivery_id   text,
  type          text,
  headers       jsonb            NOT NULL,
  raw_body      bytea            NOT NULL,
  received_at   timestamptz      NOT NULL,
  duration_ms   double precision NOT NULL,
  outcome       text             NOT NULL,
  status        integer          NOT NULL,
  error_code    text,
  replay_of     bigint
);
CREATE INDEX IF NOT EXISTS "${bare(log)}_received_at" ON ${log} (received_at);
CREATE INDEX IF NOT EXISTS "${bare(log)}_failed" ON ${log} (received_at) WHERE outcome = 'failed';
`;
}
