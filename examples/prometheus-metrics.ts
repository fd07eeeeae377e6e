/**
 * hookguard's OpenTelemetry metrics scraped by Prometheus: register a MeterProvider whose reader
 * is the Prometheus exporter (it serves GET /metrics on :9464), and every receiver reports
 * without an option. `npx tsx examples/prometheus-metrics.ts`, send it deliveries
 * (`npm run send -- http://127.0.0.1:3000/webhooks`), then `curl 127.0.0.1:9464/metrics`:
 *
 *   hookguard_deliveries_total{webhook_provider="standard-webhooks",webhook_outcome="ok",webhook_event_type="invoice.paid"} 1
 *   hookguard_delivery_duration_bucket{…,le="0.005"} 1   (this exporter adds no unit suffix)
 */
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import express from 'express';
import { expressMiddleware } from 'hookguard/express';

// Before the receiver is made: hookguard uses the global providers of @opentelemetry/api.
const prometheus = new PrometheusExporter({ port: Number(process.env.METRICS_PORT ?? 9464) });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [prometheus] }));

const { receiver } = await import('./receiver.js');
const app = express();
app.post('/webhooks', expressMiddleware(receiver));
const port = Number(process.env.PORT ?? 3000);
app.listen(port, '127.0.0.1', () => {
  console.log(`webhooks: http://127.0.0.1:${port}/webhooks  metrics: http://127.0.0.1:${process.env.METRICS_PORT ?? 9464}/metrics`);
});
