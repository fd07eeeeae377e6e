import express from 'express';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, providers } from '../../src/index.js';
import { expressMiddleware } from '../../src/adapters/express.js';
import { deliveryLog, postgresStore } from '../../src/postgres/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startMigratedPostgres, type MigratedPostgres } from '../helpers/postgres-server.js';

const SECRET = 'whsec_' + Buffer.from('delivery-log-secret-delivery-log').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let db: MigratedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  db = await startMigratedPostgres(4);
  ({ pool } = db);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('deliveryLog(): every verified delivery kept; failed ones listed and re-run', () => {
  it('through Express (a body the adapter reads on demand): the exact bytes are logged, a refusal before the body is read is not', async () => {
    const log = deliveryLog({ pool, table: 'hookguard_deliveries', cleanupIntervalSeconds: 0 });
    const receiver = log.wrap(createReceiver({ provider, dedupe: false }));
    receiver.on('order.paid', () => {});
    const app = express().post('/webhooks', expressMiddleware(receiver));
    const signed = signRequest(provider, { type: 'order.paid', data: { n: 'express' } }, { id: 'msg_express' });
    const ok = await request(app).post('/webhooks').set(signed.headers).send(signed.body);
    expect([ok.status, ok.body]).toEqual([200, { ok: true }]);
    const stale = signRequest(provider, { type: 'order.paid' }, { id: 'msg_stale', timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const refused = await request(app).post('/webhooks').set(stale.headers).send(stale.body);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'timestamp_too_old']);
    const { rows } = await pool.query("SELECT delivery_id, raw_body, outcome FROM hookguard_deliveries WHERE delivery_id IN ('msg_express', 'msg_stale')");
    expect(rows.map((row) => [row.delivery_id, row.raw_body.toString(), row.outcome])).toEqual([['msg_express', signed.body, 'handled']]);
    await pool.query("DELETE FROM hookguard_deliveries WHERE delivery_id = 'msg_express'");
  });

  it('logs bytes, headers (secrets redacted), outcome, status and timing; refusals before verification are not logged', async () => {
    const log = deliveryLog({ pool, cleanupIntervalSeconds: 0 });
    let broken = true;
    const receiver = log.wrap(createReceiver({ provider, dedupe: postgresStore({ pool, cleanupIntervalSeconds: 0 }) }));
    receiver.onAny(({ payload }) => {
      if ((payload as { fail?: boolean }).fail && broken) throw new Error('downstream is down');
    });
    const ok = signRequest(provider, { type: 'order.created', data: { n: 1 } }, { id: 'msg_ok' });
    const failing = signRequest(provider, { type: 'order.created', fail: true, data: { n: 2 } }, { id: 'msg_fail' });
    const forged = signRequest(providers.standardWebhooks({ secret: 'whsec_' + Buffer.from('another-secret-another-secret!!!').toString('base64') }), { type: 'order.created' }, { id: 'msg_forged' });

    expect((await receiver.receive({ method: 'POST', headers: { ...ok.headers, Authorization: 'Basic c2VjcmV0' }, body: ok.body })).status).toBe(200);
    expect((await receiver.receive({ method: 'POST', ...ok })).status).toBe(200); // duplicate
    expect((await receiver.receive({ method: 'POST', ...failing })).status).toBe(500);
    expect((await receiver.receive({ method: 'POST', ...forged })).status).toBe(401);

    const { rows } = await pool.query('SELECT delivery_id, type, outcome, status, error_code, headers, raw_body, duration_ms FROM hookguard_deliveries ORDER BY seq');
    expect(rows.map((row) => [row.delivery_id, row.outcome, row.status, row.error_code])).toEqual([
      ['msg_ok', 'handled', 200, null],
      ['msg_ok', 'duplicate', 200, null],
      ['msg_fail', 'failed', 500, 'handler_failed'],
    ]);
    expect(rows[0].type).toBe('order.created');
    expect(rows[0].raw_body.toString()).toBe(ok.body);
    expect(rows[0].headers['webhook-id']).toBe('msg_ok');
    expect(rows[0].headers.authorization).toBeUndefined();
    expect(rows[0].duration_ms).toBeGreaterThan(0);

    const failed = await log.listFailed();
    expect(failed.map((d) => [d.deliveryId, d.errorCode])).toEqual([['msg_fail', 'handler_failed']]);

    // Still broken: the re-run fails again and is logged as a replay of the first.
    expect((await log.replay(failed[0]!.seq, receiver)).status).toBe(500);
    broken = false;
    const replayed = await log.replay(failed[0]!.seq, receiver);
    expect(replayed.status).toBe(200);
    // Now handled: the sender's own retry (or another replay) is a duplicate, not a second run.
    expect(JSON.parse((await log.replay(failed[0]!.seq, receiver)).body)).toEqual({ ok: true, duplicate: true });
    const replays = await pool.query('SELECT outcome, replay_of::text FROM hookguard_deliveries WHERE replay_of IS NOT NULL ORDER BY seq');
    expect(replays.rows).toEqual([
      { outcome: 'failed', replay_of: failed[0]!.seq },
      { outcome: 'handled', replay_of: failed[0]!.seq },
      { outcome: 'duplicate', replay_of: failed[0]!.seq },
    ]);
  });

  it('replay verifies at the original receive time, so a delivery older than the replay window still re-runs', async () => {
    const log = deliveryLog({ pool, cleanupIntervalSeconds: 0 });
    const runs: string[] = [];
    const receiver = log.wrap(createReceiver({ provider, dedupe: false }));
    receiver.onAny(({ id }) => void runs.push(id as string));
    const old = Math.floor(Date.now() / 1000) - 3600;
    const signed = signRequest(provider, { type: 't' }, { id: 'msg_old', timestamp: old });
    expect((await receiver.receive({ method: 'POST', ...signed, now: old })).status).toBe(200);
    const { rows } = await pool.query("UPDATE hookguard_deliveries SET received_at = to_timestamp($1) WHERE delivery_id = 'msg_old' RETURNING seq::text", [old]);
    expect((await log.replay(rows[0].seq, receiver)).status).toBe(200);
    expect(runs).toEqual(['msg_old', 'msg_old']);
  });

  it('retention: cleanup() deletes deliveries older than retentionDays and keeps newer ones', async () => {
    const log = deliveryLog({ pool, retentionDays: 1, cleanupIntervalSeconds: 0 });
    await pool.query("UPDATE hookguard_deliveries SET received_at = now() - interval '2 days' WHERE delivery_id = 'msg_ok'");
    const before = (await pool.query('SELECT count(*)::int AS n FROM hookguard_deliveries')).rows[0].n;
    expect(await log.cleanup()).toBe(2);
    expect((await pool.query('SELECT count(*)::int AS n FROM hookguard_deliveries')).rows[0].n).toBe(before - 2);
  });

  it('a log write that fails does not change the answer; onError hears of it', async () => {
    const errors: unknown[] = [];
    const log = deliveryLog({ pool, table: 'missing_table', cleanupIntervalSeconds: 0, onError: (error) => void errors.push(error) });
    const receiver = log.wrap(createReceiver({ provider, dedupe: false }).onAny(() => {}));
    expect((await receiver.receive({ method: 'POST', ...signRequest(provider, { type: 't' }) })).status).toBe(200);
    expect(String(errors[0])).toMatch(/missing_table/);
  });

  it('bad options → misconfigured (500); replay of an unknown seq → misconfigured', async () => {
    expect(() => deliveryLog({ pool: {} })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    expect(() => deliveryLog({ pool, retentionDays: -1 })).toThrow(expect.objectContaining({ code: 'misconfigured', status: 500 }));
    const log = deliveryLog({ pool, cleanupIntervalSeconds: 0 });
    await expect(log.replay('999999', createReceiver({ provider }))).rejects.toMatchObject({ code: 'misconfigured', status: 500 });
    await expect(log.listFailed({ limit: 0 })).rejects.toMatchObject({ code: 'misconfigured', status: 500 });
  });
});
