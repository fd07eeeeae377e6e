import PgBoss from 'pg-boss';
import pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import type { DeliveryBoss, Queryable, WorkerBoss } from '../../src/postgres/index.js';

describe('hookguard/postgres types', () => {
  it('a pg Pool and a pg Client are Queryable; a PgBoss is both a DeliveryBoss and a WorkerBoss', () => {
    expectTypeOf<pg.Pool>().toExtend<Queryable>();
    expectTypeOf<pg.Client>().toExtend<Queryable>();
    expectTypeOf<PgBoss>().toExtend<DeliveryBoss>();
    expectTypeOf<PgBoss>().toExtend<WorkerBoss>();
  });

  it('something without query() is not Queryable', () => {
    expectTypeOf<{ run(): void }>().not.toExtend<Queryable>();
  });
});
