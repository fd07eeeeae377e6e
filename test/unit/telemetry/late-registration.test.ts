/**
 * A receiver made before the application registers its MeterProvider still counts (#17): the
 * global meter provider of @opentelemetry/api is no proxy, so the instruments follow it.
 */
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, expect, it } from 'vitest';
import { createReceiver } from '../../../src/index.js';
import { loadOtel } from '../../../src/telemetry/otel.js';
import { deliver, swh } from '../receiver/_helpers.js';

afterAll(() => metrics.disable());

it('createReceiver() before metrics.setGlobalMeterProvider() → hookguard.deliveries still counted (#17)', async () => {
  await loadOtel();
  const receiver = createReceiver({ provider: swh });
  receiver.on('invoice.paid', () => {});
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);
  expect((await deliver(receiver, { type: 'invoice.paid' }, { id: 'msg_late' })).status).toBe(200);
  await reader.forceFlush();
  const counter = exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === 'hookguard.deliveries');
  expect(counter?.dataPoints.map((point) => point.value)).toEqual([1]);
  await meterProvider.shutdown();
});
