import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../src/index.js';
import { signRequest } from '../../src/testing/index.js';
import { startApp, type AppProcess } from '../helpers/app-process.js';

const POSTGRES_APP = fileURLToPath(new URL('../helpers/postgres-app.ts', import.meta.url));
const startPostgresApp = (env: Record<string, string>): Promise<AppProcess> => startApp(env, POSTGRES_APP);
import { startMigratedPostgres, type MigratedPostgres, type PostgresServer } from '../helpers/postgres-server.js';

const SECRET = 'whsec_' + Buffer.from('two-instances-one-postgres-secrt').toString('base64');
const provider = providers.standardWebhooks({ secret: SECRET });

let db: MigratedPostgres;
let server: PostgresServer;
let pool: pg.Pool;
let apps: AppProcess[] = [];

beforeAll(async () => {
  db = await startMigratedPostgres(4);
  ({ server, pool } = db);
  await pool.query('CREATE TABLE attempts (id text PRIMARY KEY, n int NOT NULL)');
  // Two receivers, as behind a load balancer: separate processes, one Postgres.
  apps = await Promise.all([1, 2].map(() => startPostgresApp({ ROLE: 'store', DATABASE_URL: server.url, SECRET, DELAY_MS: '40' })));
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill()));
  await db?.close();
});

interface Answer {
  status: number;
  code?: string;
  duplicate?: boolean;
}

type Signed = ReturnType<typeof signRequest>;

async function post(url: string, signed: Signed): Promise<Answer> {
  const response = await fetch(`${url}/webhooks`, { method: 'POST', headers: signed.headers, body: signed.body });
  const body = (await response.json()) as { duplicate?: boolean; error?: { code: string } };
  return { status: response.status, ...(body.error ? { code: body.error.code } : {}), ...(body.duplicate ? { duplicate: true } : {}) };
}

async function handled(): Promise<Record<string, number>> {
  const all: Record<string, number> = {};
  for (const app of apps) {
    for (const [id, n] of Object.entries((await (await fetch(`${app.url}/handled`)).json()) as Record<string, number>)) all[id] = (all[id] ?? 0) + n;
  }
  return all;
}

const delivery = (id: string, extra: object = {}): Signed => signRequest(provider, { type: 'order.created', ...extra, data: { id } }, { id });

describe('two receiver processes sharing one Postgres', () => {
  it('25 deliveries × 16 copies over 2 processes, all at once → each handled exactly once; the rest duplicate or in_flight; no 5xx', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `msg_burst_${i}`);
    const shots = ids.flatMap((id) => Array.from({ length: 16 }, (_, copy) => ({ id, app: apps[copy % 2] as AppProcess, signed: delivery(id) })));
    const answers = await Promise.all(shots.map(async (shot) => ({ id: shot.id, ...(await post(shot.app.url, shot.signed)) })));

    const seen = await handled();
    for (const id of ids) {
      expect(seen[id], id).toBe(1);
      const mine = answers.filter((answer) => answer.id === id);
      expect(mine.filter((answer) => answer.status === 200 && !answer.duplicate), id).toHaveLength(1);
      expect(mine.every((answer) => answer.status === 200 || (answer.status === 409 && answer.code === 'in_flight')), id).toBe(true);
    }
  });

  it('a failed handler releases its claim: the sender retry (to the other process) runs and succeeds', async () => {
    const signed = delivery('msg_fail_first', { failFirst: true });
    expect(await post(apps[0]!.url, signed)).toEqual({ status: 500, code: 'handler_failed' });
    expect(await post(apps[1]!.url, signed)).toEqual({ status: 200 });
    expect(await post(apps[0]!.url, signed)).toEqual({ status: 200, duplicate: true });
    expect((await handled()).msg_fail_first).toBe(1);
    expect((await pool.query("SELECT n FROM attempts WHERE id = 'msg_fail_first'")).rows[0].n).toBe(2);
  });

  it('Postgres stopped mid-run → 503 store_unavailable (never 200 for work not done); restarted → both recover without a restart', async () => {
    const answers = new Map<string, Answer>();
    let stopped = false;
    let sent = 0;
    // A steady stream of distinct deliveries, 4 at a time over both processes; Postgres stops after the 40th is sent.
    const stream = async (app: AppProcess) => {
      while (sent < 160) {
        const id = `msg_outage_${sent++}`;
        if (sent === 40) void server.stop().then(() => void (stopped = true));
        answers.set(id, await post(app.url, delivery(id)));
      }
    };
    await Promise.all([stream(apps[0]!), stream(apps[1]!), stream(apps[0]!), stream(apps[1]!)]);
    expect(stopped).toBe(true);

    const seen = await handled();
    const byStatus = (status: number) => [...answers].filter(([, answer]) => answer.status === status).map(([id]) => id);
    expect([...answers.values()].filter((answer) => answer.status !== 200 && !(answer.status === 503 && answer.code === 'store_unavailable'))).toEqual([]);
    for (const id of byStatus(200)) expect(seen[id], id).toBe(1);
    expect(byStatus(200).length).toBeGreaterThanOrEqual(36);
    expect(byStatus(503).length).toBeGreaterThanOrEqual(100);
    for (const id of byStatus(503)) expect(seen[id], id).toBeUndefined();

    await server.restart();
    // The pools reconnect by themselves: the senders' retries of every 503 are now handled, once each.
    const retried = await Promise.all(byStatus(503).map((id, i) => post(apps[i % 2]!.url, delivery(id))));
    expect(retried.filter((answer) => answer.status !== 200)).toEqual([]);
    const after = await handled();
    for (const id of answers.keys()) expect(after[id], id).toBe(1);
    console.log(`postgres outage: ${byStatus(200).length} handled before the stop, ${byStatus(503).length} answered 503 and were handled on retry`);
  }, 60_000);
});
