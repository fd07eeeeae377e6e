import { Buffer } from 'node:buffer';
import { WebhookError } from '../core/errors.js';
import { normalizeHeaders } from '../core/headers.js';
import type { BodyLike, DeliveryInput, ReceiveResult } from '../core/types.js';
import { forwardingReceiver } from '../receiver/hand-off.js';
import type { Provider } from '../providers/types.js';
import type { AnyProviderTypes, EventSchemas, Receiver } from '../receiver/types.js';
import { queryableOf, seconds, tableName } from './queryable.js';
import { outcomeOf, type DeliveryOutcome } from './outcome.js';

export interface DeliveryLogOptions {
  /** A `pg` Pool (or any pg-compatible pool); run `migrate(pool)` first. */
  pool: unknown;
  /** The table `migrate()` created. Default `'hookguard_deliveries'`. */
  table?: string;
  /** How long a delivery is kept. Default 14 days. */
  retentionDays?: number;
  /** How often this process deletes deliveries past retention, in the background. Default 300; 0 = never (call `cleanup()`). */
  cleanupIntervalSeconds?: number;
  /** Header names never stored. Default `authorization`, `cookie`, `proxy-authorization`. */
  redactHeaders?: string[];
  /** Called when a delivery could not be logged; the delivery's answer is not changed. */
  onError?: (error: unknown) => void;
}

/** One logged delivery. */
export interface LoggedDelivery {
  seq: string;
  provider: string;
  deliveryId: string | null;
  type: string | null;
  headers: Record<string, string>;
  rawBody: Buffer;
  receivedAt: Date;
  durationMs: number;
  outcome: DeliveryOutcome;
  status: number;
  errorCode: string | null;
  /** The `seq` this delivery re-ran, for replays. */
  replayOf: string | null;
}

export interface DeliveryLog {
  /** The receiver, answering exactly as before, with every verified delivery logged (bytes, headers, outcome, timing). */
  wrap<E extends EventSchemas | undefined>(receiver: Receiver<E>): Receiver<E>;
  /** Failed deliveries (handler failed or timed out, store unavailable), newest first. */
  listFailed(options?: { limit?: number; since?: Date; provider?: string }): Promise<LoggedDelivery[]>;
  get(seq: string): Promise<LoggedDelivery | undefined>;
  /**
   * Runs a logged delivery through `receiver` again (a wrapped one logs the re-run with `replayOf`):
   * same bytes and headers, verified at its original receive time, deduped as usual — a delivery
   * the sender's own retry has since handled answers `duplicate` and is not run twice.
   */
  replay<E extends EventSchemas | undefined>(seq: string, receiver: Receiver<E>): Promise<ReceiveResult>;
  /** Deletes deliveries past retention now; resolves with how many. */
  cleanup(): Promise<number>;
  /** Stops the background clean-up timer. */
  close(): void;
}

const CALLER = 'deliveryLog()';
const REPLAY_OF = Symbol('hookguard.replayOf');
const EMPTY = new Uint8Array(0);

/**
 * An opt-in delivery log on Postgres: every verified delivery kept with its raw bytes, headers,
 * outcome and timing, bounded by retention; list the failed ones and re-run one through the
 * handlers (GitHub does not redeliver failed deliveries by itself). Refused requests (bad
 * signature, stale timestamp, …) are not logged. A log write that fails never changes the answer.
 *
 * @example
 * const log = deliveryLog({ pool });
 * app.post('/webhooks', expressMiddleware(log.wrap(receiver)));
 * for (const failed of await log.listFailed()) await log.replay(failed.seq, log.wrap(receiver));
 */
export function deliveryLog(options: DeliveryLogOptions): DeliveryLog {
  if (typeof options !== 'object' || options === null) {
    throw new WebhookError('misconfigured', `${CALLER}: pass an options object, e.g. deliveryLog({ pool }).`);
  }
  const db = queryableOf(options.pool, CALLER);
  const table = tableName(options.table ?? 'hookguard_deliveries', 'table', CALLER);
  const retention = seconds((options.retentionDays ?? 14) * 86_400, 'retentionDays', CALLER);
  const interval = seconds(options.cleanupIntervalSeconds ?? 300, 'cleanupIntervalSeconds', CALLER, true);
  const redact = new Set((options.redactHeaders ?? ['authorization', 'cookie', 'proxy-authorization']).map((name) => name.toLowerCase()));
  const onError = options.onError ?? (() => {});
  if (typeof onError !== 'function') throw new WebhookError('misconfigured', `${CALLER}: \`onError\` must be a function.`);

  const insert = `INSERT INTO ${table} (provider, delivery_id, type, headers, raw_body, received_at, duration_ms, outcome, status, error_code, replay_of)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;
  const columns = `seq::text, provider, delivery_id, type, headers, raw_body, received_at, duration_ms, outcome, status, error_code, replay_of::text`;

  async function record(provider: Provider<AnyProviderTypes>, input: DeliveryInput, body: BodyLike, result: ReceiveResult, receivedAt: Date, durationMs: number, replayOf: string | undefined): Promise<void> {
    const outcome = outcomeOf(result);
    if (outcome === undefined) return;
    const rawBody = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const headers = Object.fromEntries(Object.entries(normalizeHeaders(input.headers)).filter(([name]) => !redact.has(name)));
    let id: string | undefined;
    let type: string | undefined;
    try {
      ({ id, type } = provider.parse({ rawBody, headers }));
    } catch {
      // logged without id and type; the bytes are what matter
    }
    const text = (value: string | undefined) => (value === undefined || value.includes('\0') ? null : value);
    await db.query({
      text: insert,
      values: [provider.name, text(id), text(type), headers, rawBody, receivedAt, durationMs, outcome.outcome, result.status, outcome.code ?? null, replayOf ?? null],
    });
  }

  function wrap<E extends EventSchemas | undefined>(receiver: Receiver<E>): Receiver<E> {
    const receive = async (input: DeliveryInput): Promise<ReceiveResult> => {
      const receivedAt = new Date();
      const started = performance.now();
      // Adapters hand a body source, read only once the header checks pass: keep what it read.
      const source = input.body;
      let body: BodyLike = typeof source === 'function' ? EMPTY : source;
      const seen: DeliveryInput = typeof source === 'function' ? { ...input, body: async (limits) => (body = await source(limits)) } : input;
      const result = await receiver.receive(seen);
      const replayOf = (input as { [REPLAY_OF]?: string })[REPLAY_OF];
      try {
        await record(receiver.provider, input, body, result, receivedAt, performance.now() - started, replayOf);
      } catch (error) {
        onError(error);
      }
      return result;
    };
    return forwardingReceiver(receiver, receive);
  }

  async function get(seq: string): Promise<LoggedDelivery | undefined> {
    const { rows } = await db.query({ text: `SELECT ${columns} FROM ${table} WHERE seq = $1`, values: [seq] });
    return rows[0] === undefined ? undefined : fromRow(rows[0]);
  }

  async function cleanup(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await db.query({
        text: `DELETE FROM ${table} WHERE seq = ANY(ARRAY(SELECT seq FROM ${table} WHERE received_at < now() - $1 * interval '1 second' LIMIT 1000 FOR UPDATE SKIP LOCKED))`,
        values: [retention],
      });
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < 1000) return deleted;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    const every = interval * 1000;
    timer = setTimeout(function tick() {
      cleanup().catch(onError);
      timer = setTimeout(tick, every);
      timer.unref();
    }, every * (0.5 + Math.random() / 2));
    timer.unref();
  }

  return {
    wrap,
    get,
    cleanup,
    async listFailed(list = {}) {
      const limit = list.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new WebhookError('misconfigured', `listFailed(): \`limit\` must be an integer from 1 to 10,000; got ${String(limit)}.`);
      const { rows } = await db.query({
        text: `SELECT ${columns} FROM ${table} WHERE outcome = 'failed' AND received_at >= $1 AND ($2::text IS NULL OR provider = $2) ORDER BY received_at DESC, seq DESC LIMIT $3`,
        values: [list.since ?? new Date(0), list.provider ?? null, limit],
      });
      return rows.map(fromRow);
    },
    async replay(seq, receiver) {
      const logged = await get(seq);
      if (logged === undefined) throw new WebhookError('misconfigured', `replay(): no logged delivery has seq ${JSON.stringify(seq)} (deleted past retention?).`);
      const input: DeliveryInput & { [REPLAY_OF]?: string } = {
        method: 'POST',
        headers: logged.headers,
        body: new Uint8Array(logged.rawBody),
        now: Math.floor(logged.receivedAt.getTime() / 1000),
      };
      input[REPLAY_OF] = seq;
      return receiver.receive(input);
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** A row of the log table as `pg` returns it (bytea → Buffer, timestamptz → Date, int8 selected as text). */
interface DeliveryRow {
  seq: string;
  provider: string;
  delivery_id: string | null;
  type: string | null;
  headers: Record<string, string>;
  raw_body: Buffer;
  received_at: Date;
  duration_ms: number;
  outcome: DeliveryOutcome;
  status: number;
  error_code: string | null;
  replay_of: string | null;
}

function fromRow(record: Record<string, unknown>): LoggedDelivery {
  const row = record as unknown as DeliveryRow;
  return {
    seq: row.seq,
    provider: row.provider,
    deliveryId: row.delivery_id,
    type: row.type,
    headers: row.headers,
    rawBody: row.raw_body,
    receivedAt: row.received_at,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    status: row.status,
    errorCode: row.error_code,
    replayOf: row.replay_of,
  };
}
