/**
 * The receiver's own cost, without HTTP: `receiver.receive()` on a ~1 KiB signed Standard
 * Webhooks delivery (verify, parse, zod schema, route, typed async handler, answer) against the
 * hand-written route's work as a plain function, with and without (c)'s schema and handler, and
 * against `provider.verify` and `verifyWebhook`. In process, on the CPU clock.
 *
 *   npx tsx --expose-gc bench/pipeline.ts [--quick]
 */
import { makeDelivery, secrets } from './lib/deliveries.js';
import { handwrittenHandledStatus, handwrittenStatus, invoicePaid } from './lib/handwritten.js';
import { flag, formatRate, formatRatio, isMain, measure, table, type Contender, type HarnessOptions } from './lib/harness.js';
import { hookguard } from './lib/hookguard.js';

const { createReceiver, providers, verifyWebhook } = hookguard;

export const PIPELINE_BODY_BYTES = 1024;

function ok<T>(status: number, result: T): T {
  if (status !== 200) throw new Error(`expected 200, got ${status}`);
  return result;
}

export async function runPipeline(options: HarnessOptions): Promise<{ name: string; micros: number; ratio: number }[]> {
  const provider = providers.standardWebhooks({ secret: secrets.standardWebhooks });
  const receiver = createReceiver({ provider, events: { 'invoice.paid': invoicePaid }, dedupe: false });
  let total = 0;
  receiver.on('invoice.paid', async (delivery) => {
    total += delivery.payload.data.object.amount;
  });
  const { headers, body } = makeDelivery('standardWebhooks', PIPELINE_BODY_BYTES);
  const input = { method: 'POST', url: '/webhook', headers, body };
  const contenders: Contender[] = [
    { name: 'hand-written: headers + HMAC + compare + JSON.parse', run: () => ok(handwrittenStatus(headers, body), 1) },
    { name: 'hand-written, then the zod schema and an awaited async handler', async: true, run: async () => ok(await handwrittenHandledStatus(headers, body), 1) },
    { name: 'hookguard provider.verify', run: () => provider.verify({ headers, body }) },
    { name: 'hookguard verifyWebhook (verify + parse)', run: () => verifyWebhook(provider, { headers, body }) },
    { name: 'hookguard receiver.receive, dedupe: false', async: true, run: async () => ok((await receiver.receive(input)).status, 1) },
  ];
  for (const contender of contenders) await contender.run();
  const results = await measure(contenders, options);
  if (total < 0) console.log(total);
  const floor = 1e6 / (results[0] as { opsPerSec: number }).opsPerSec;
  return results.map((result) => ({ name: result.name, micros: 1e6 / result.opsPerSec, ratio: floor / (1e6 / result.opsPerSec) }));
}

export function pipelineTable(rows: Awaited<ReturnType<typeof runPipeline>>): string {
  return table(
    ['in-process, ~1 KiB Standard Webhooks delivery', 'CPU µs / delivery', 'deliveries/s', '× hand-written'],
    rows.map((row) => [row.name, row.micros.toFixed(2), formatRate(1e6 / row.micros), formatRatio(row.ratio)]),
  );
}

if (isMain(import.meta.url)) {
  const quick = flag('quick');
  console.log(pipelineTable(await runPipeline({ rounds: quick ? 3 : 7, roundMs: quick ? 150 : 300, warmupMs: 200 })));
}
