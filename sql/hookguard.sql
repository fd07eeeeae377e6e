-- hookguard: the Postgres dedupe store and delivery log. Idempotent: safe to run again.
CREATE TABLE IF NOT EXISTS "hookguard_dedupe" (
  namespace  text        NOT NULL,
  key        text        NOT NULL,
  state      text        NOT NULL CHECK (state IN ('pending', 'done')),
  owner      text,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (namespace, key)
);
CREATE INDEX IF NOT EXISTS "hookguard_dedupe_expires_at" ON "hookguard_dedupe" (expires_at);

CREATE TABLE IF NOT EXISTS "hookguard_deliveries" (
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
CREATE INDEX IF NOT EXISTS "hookguard_deliveries_received_at" ON "hookguard_deliveries" (received_at);
CREATE INDEX IF NOT EXISTS "hookguard_deliveries_failed" ON "hookguard_deliveries" (received_at) WHERE outcome = 'failed';
