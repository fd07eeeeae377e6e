/**
 * What observing deliveries costs (#17): `receiver.receive()` in-process on the CPU clock, the
 * same ~1 KiB Standard Webhooks delivery, zod schema and async handler as bench/pipeline.ts
 * (`dedupe: false`), with
 *   - `openTelemetry: false`, no listener, default logger: nothing observes (NO_TRACE);
 *   - the default with `@opentelemetry/api` installed but no SDK registered (no-op tracer and meter);
 *   - an `onDelivery` listener only;
 *   - tracing and metrics on: the real SDK (BasicTracerProvider + BatchSpanProcessor with an
 *     exporter that drops spans, MeterProvider with a reader), passed as `openTelemetry`;
 *   - the same with a pino logger writing to a discarding stream at `debug` (a line per delivery).
 *
 *   npm run build && npx tsx --expose-gc bench/telemetry.ts [--quick]
 */
import { Writable } from 'node:stream';
import { BatchSpanProcessor, BasicTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import pino from 'pino';
import type { ReceiveResult } from '../src/index.js';
import { makeDelivery, secrets } from './lib/deliveries.js';
import { invoicePaid } from './lib/handwritten.js';
import { formatRate, measure, table, type Contender } from './lib/harness.js';
import { hookguard } from './lib/hookguard.js';

const { createReceiver, providers } = hookguard;

class DroppingExporter implements SpanExporter {
  export(_spans: unknown[], done: (result: { code: 0 }) => void): void {
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
class Reader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function expectOk(result: ReceiveResult): ReceiveResult {
  if (result.status !== 200) throw new Error(`expected 200, got ${result.status}: ${result.body}`);
  return result;
}

const provider = providers.standardWebhooks({ secret: secrets.standardWebhooks });
const delivery = makeDelivery('standardWebhooks', 1024);
const input = { method: 'POST', url: '/webhook', headers: delivery.headers, body: delivery.body };
let total = 0;
type Options = Omit<Parameters<typeof createReceiver>[0], 'provider' | 'events' | 'dedupe'>;
function receiverWith(options: Options, listen = false) {
  const receiver = createReceiver({ provider, events: { 'invoice.paid': invoicePaid }, dedupe: false, ...options });
  receiver.on('invoice.paid', async (d) => {
    total += d.payload.data.object.amount;
  });
  if (listen) receiver.onDelivery((event) => (total += event.status === 200 ? 0 : 1));
  return receiver;
}

const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new DroppingExporter(), { maxQueueSize: 1_000_000, maxExportBatchSize: 512, scheduledDelayMillis: 50 })] });
const meterProvider = new MeterProvider({ readers: [new Reader()] });
const otel = { tracerProvider, meterProvider };
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });

// One receiver first, so the api's lazy import has settled before the others are made.
receiverWith({});
await new Promise((resolve) => setTimeout(resolve, 100));
const cases: [string, ReturnType<typeof receiverWith>][] = [
  ['openTelemetry: false (nothing observes)', receiverWith({ openTelemetry: false })],
  ['default: api installed, no SDK registered', receiverWith({})],
  ['onDelivery listener only', receiverWith({ openTelemetry: false }, true)],
  ['tracing + metrics on (real SDK)', receiverWith({ openTelemetry: otel })],
  ['tracing + metrics + pino debug line', receiverWith({ openTelemetry: otel, logger: pino({ level: 'debug' }, sink) })],
];
const contenders: Contender[] = cases.map(([name, receiver]) => ({ name, async: true, run: async () => expectOk(await receiver.receive(input)) }));
for (const contender of contenders) await contender.run();
const quick = process.argv.includes('--quick');
const results = await measure(contenders, { rounds: quick ? 3 : 7, roundMs: quick ? 150 : 300, warmupMs: 200, clock: 'cpu' });
const base = 1e6 / (results[0]?.opsPerSec ?? NaN);
console.log(
  table(
    ['receiver.receive, ~1 KiB Standard Webhooks, dedupe: false', 'CPU µs / delivery', 'deliveries/s', 'added µs'],
    results.map((result) => {
      const micros = 1e6 / result.opsPerSec;
      return [result.name, micros.toFixed(2), formatRate(result.opsPerSec), (micros - base).toFixed(2)];
    }),
  ),
);
if (total < 0) console.log(total);
await tracerProvider.shutdown();
await meterProvider.shutdown();
