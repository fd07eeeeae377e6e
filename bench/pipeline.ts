/**
 * The receiver's own cost, without HTTP: `receiver.receive()` on a ~1 KiB signed Standard Webhooks
 * delivery (verify, parse, zod schema, route, typed async handler, answer) against the
 * hand-written route's work as a plain function (headers, freshness, HMAC, compare, JSON.parse,
 * type check) and against `provider.verify` + `verifyWebhook`. In-process and on the CPU clock,
 * so it separates what hookguard adds from the noise of sockets and a shared load generator.
 *
 *   npx tsx --expose-gc bench/pipeline.ts [--quick]
 */
import type { ReceiveResult } from '../src/index.js';
import { hookguard } from './lib/hookguard.js';
import { makeDelivery, secrets, type Delivery } from './lib/deliveries.js';
import { handwrittenHandledStatus, handwrittenStatus } from './lib/handwritten.js';
import { invoicePaid } from './lib/schemas.js';
import { formatRate, formatRatio, local, measure, table, type Contender, type HarnessOptions } from './lib/harness.js';

const { createReceiver, providers, verifyWebhook } = hookguard;

export const PIPELINE_BODY_BYTES = 1024;

export interface PipelineRow {
  name: string;
  /** CPU µs per delivery (median of rounds). */
  micros: number;
  /** The hand-written function's µs ÷ this row's µs. */
  ratio: number;
}

function expectStatus200(status: number): number {
  if (status !== 200) throw new Error(`expected 200, got ${status}`);
  return status;
}

function expectOk(result: ReceiveResult): ReceiveResult {
  expectStatus200(result.status);
  return result;
}

export async function runPipeline(options: HarnessOptions): Promise<PipelineRow[]> {
  const provider = providers.standardWebhooks({ secret: secrets.standardWebhooks });
  const receiver = createReceiver({ provider, events: { 'invoice.paid': invoicePaid }, dedupe: false });
  let total = 0;
  receiver.on('invoice.paid', async (delivery) => {
    total += delivery.payload.data.object.amount;
  });
  const dedupingReceiver = () => {
    const made = createReceiver({ provider, events: { 'invoice.paid': invoicePaid } });
    made.on('invoice.paid', async (delivery) => {
      total += delivery.payload.data.object.amount;
    });
    return made;
  };
  let deduping = dedupingReceiver();
  const delivery = makeDelivery('standardWebhooks', PIPELINE_BODY_BYTES);
  // A new id per delivery for the deduping receiver: signed up front and sent round-robin; each
  // pass over the pool goes to a new receiver (a new, empty memory store), so every delivery is
  // claimed, handled and completed, never answered as a duplicate.
  const fresh = Array.from({ length: 4096 }, () => makeDelivery('standardWebhooks', PIPELINE_BODY_BYTES));
  let next = 0;
  const input = { method: 'POST', url: '/webhook', headers: delivery.headers, body: delivery.body };
  const contenders: Contender[] = [
    { name: 'hand-written: headers + HMAC + compare + JSON.parse', run: () => expectStatus200(handwrittenStatus(delivery.headers, delivery.body)) },
    {
      name: 'hand-written, then the zod schema and an awaited async handler',
      async: true,
      run: async () => expectStatus200(await handwrittenHandledStatus(delivery.headers, delivery.body)),
    },
    { name: 'hookguard provider.verify', run: () => provider.verify({ headers: delivery.headers, body: delivery.body }) },
    { name: 'hookguard verifyWebhook (verify + parse)', run: () => verifyWebhook(provider, { headers: delivery.headers, body: delivery.body }) },
    { name: 'hookguard receiver.receive, dedupe: false', async: true, run: async () => expectOk(await receiver.receive(input)) },
    {
      name: 'hookguard receiver.receive, memory store, new id each',
      async: true,
      run: async () => {
        const d = fresh[next++ % fresh.length] as Delivery;
        if (next % fresh.length === 0) deduping = dedupingReceiver();
        const result = expectOk(await deduping.receive({ method: 'POST', url: '/webhook', headers: d.headers, body: d.body }));
        return result;
      },
    },
  ];
  for (const contender of contenders) await contender.run();
  const results = await measure(contenders.map(local), options);
  if (total < 0) console.log(total);
  const floor = 1e6 / (results[0]?.opsPerSec ?? NaN);
  return results.map((result) => {
    const micros = 1e6 / result.opsPerSec;
    return { name: result.name, micros, ratio: floor / micros };
  });
}

export function pipelineTable(rows: readonly PipelineRow[]): string {
  return table(
    ['in-process, ~1 KiB Standard Webhooks delivery', 'CPU µs / delivery', 'deliveries/s', '× hand-written'],
    rows.map((row) => [row.name, row.micros.toFixed(2), formatRate(1e6 / row.micros), formatRatio(row.ratio)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const rows = await runPipeline({ rounds: quick ? 3 : 7, roundMs: quick ? 150 : 300, warmupMs: 200, clock: 'cpu' });
  console.log(pipelineTable(rows));
}
