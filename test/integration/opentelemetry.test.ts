/**
 * OpenTelemetry (#17 item 2) with the real SDK, through a real Express server on 127.0.0.1: the
 * application registers global tracer / meter providers and the W3C propagator, hookguard needs
 * no option. One span per delivery continuing the sender's traceparent, error status and code on
 * a forged delivery, and the deliveries counter / duration histogram after a mixed run.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expressMiddleware } from '../../src/adapters/express.js';
import { createReceiver, providers, type Receiver } from '../../src/index.js';
import { loadOtel } from '../../src/telemetry/otel.js';
import { signRequest } from '../../src/testing/index.js';
import { listen, type Listening } from '../helpers/server.js';

const swh = providers.standardWebhooks({ secret: `whsec_${Buffer.from('opentelemetry-test-secret-32by!!').toString('base64')}` });
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const meterProvider = new MeterProvider({ readers: [reader] });

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  await loadOtel(); // started by the first createReceiver too; receivers made after it trace their first delivery
});
afterAll(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
});

const servers: Listening[] = [];
beforeEach(() => spans.reset());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(receiver: Receiver): Promise<string> {
  const app = express();
  app.post('/webhooks', expressMiddleware(receiver));
  const server = await listen(app);
  servers.push(server);
  return `${server.url}/webhooks`;
}

async function post(url: string, payload: unknown, id: string, extra: Record<string, string> = {}): Promise<number> {
  const signed = signRequest(swh, payload, { id });
  const response = await fetch(url, { method: 'POST', headers: { ...signed.headers, ...extra }, body: signed.body });
  await response.arrayBuffer();
  return response.status;
}

async function forged(url: string, id: string): Promise<number> {
  const signed = signRequest(swh, { type: 'invoice.paid' }, { id });
  const response = await fetch(url, { method: 'POST', headers: { ...signed.headers, 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, body: signed.body });
  await response.arrayBuffer();
  return response.status;
}

describe('OpenTelemetry, on by default once the application registered providers', () => {
  it('one delivery → one span "receive standard-webhooks", child of the sender traceparent, with provider/type/id/outcome; handlers run inside it (#17)', async () => {
    const receiver = createReceiver({ provider: swh });
    let activeInHandler: string | undefined;
    receiver.on('invoice.paid', () => {
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
    });
    const url = await serve(receiver);
    expect(await post(url, { type: 'invoice.paid' }, 'msg_span', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` })).toBe(200);

    const finished = spans.getFinishedSpans();
    expect(finished).toHaveLength(1);
    const [span] = finished;
    expect(span?.name).toBe('receive standard-webhooks');
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span?.parentSpanContext?.isRemote).toBe(true);
    expect(span?.attributes).toMatchObject({
      'webhook.provider': 'standard-webhooks',
      'webhook.event.type': 'invoice.paid',
      'webhook.delivery.id': 'msg_span',
      'webhook.outcome': 'ok',
      'http.response.status_code': 200,
    });
    expect(span?.status.code).toBe(0); // UNSET
    expect(span?.events.map((event) => event.name)).toEqual(['webhook.body', 'webhook.verify', 'webhook.validate', 'webhook.dedupe', 'webhook.handlers']);
    expect(activeInHandler).toBe(span?.spanContext().spanId);
  });

  it('a forged delivery → its span has ERROR status, error.type signature_mismatch and status 401 (#17)', async () => {
    const receiver = createReceiver({ provider: swh });
    const url = await serve(receiver);
    expect(await forged(url, 'msg_forged')).toBe(401);
    const [span] = spans.getFinishedSpans();
    expect(span?.status.code).toBe(2); // ERROR
    expect(span?.status.message).toMatch(/^signature_mismatch: /);
    expect(span?.attributes).toMatchObject({ 'error.type': 'signature_mismatch', 'webhook.outcome': 'signature_mismatch', 'http.response.status_code': 401 });
    expect(span?.attributes['webhook.delivery.id']).toBeUndefined();
  });

  it('after a mixed run, hookguard.deliveries counts by provider/type/outcome and hookguard.delivery.duration (s) has one sample each (#17)', async () => {
    const receiver = createReceiver({ provider: swh, namespace: 'mixed' });
    receiver.on('invoice.paid', () => {});
    const url = await serve(receiver);
    await reader.forceFlush();
    const before = metricExporter.getMetrics().length;
    expect(await post(url, { type: 'invoice.paid' }, 'msg_m1')).toBe(200);
    expect(await post(url, { type: 'invoice.paid' }, 'msg_m2')).toBe(200);
    expect(await post(url, { type: 'invoice.paid' }, 'msg_m2')).toBe(200); // duplicate
    expect(await post(url, { type: 'invoice.payed' }, 'msg_m3')).toBe(200); // ignored
    expect(await forged(url, 'msg_m4')).toBe(401);
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().slice(before).at(-1);
    const all = exported?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
    const counter = all.find((metric) => metric.descriptor.name === 'hookguard.deliveries');
    const histogram = all.find((metric) => metric.descriptor.name === 'hookguard.delivery.duration') as HistogramMetricData | undefined;
    expect(counter?.descriptor.unit).toBe('{delivery}');
    expect(histogram?.descriptor.unit).toBe('s');

    // Cumulative over the whole file: the earlier tests' two deliveries are in it as well.
    const counts = Object.fromEntries(counter?.dataPoints.map((point) => [`${String(point.attributes['webhook.outcome'])}/${String(point.attributes['webhook.event.type'] ?? '-')}`, point.value]) ?? []);
    expect(counts).toEqual({ 'ok/invoice.paid': 3, 'duplicate/invoice.paid': 1, 'ignored/invoice.payed': 1, 'signature_mismatch/-': 2 });
    const samples = histogram?.dataPoints.reduce((sum, point) => sum + point.value.count, 0);
    expect(samples).toBe(7);
    for (const point of histogram?.dataPoints ?? []) expect(point.value.max ?? 0).toBeLessThan(5); // seconds, not ms
  });

  it('openTelemetry: false → no span, no metric point (#17)', async () => {
    const receiver = createReceiver({ provider: swh, openTelemetry: false });
    receiver.on('invoice.paid', () => {});
    const url = await serve(receiver);
    await reader.forceFlush();
    const before = JSON.stringify(metricExporter.getMetrics().at(-1)?.scopeMetrics);
    expect(await post(url, { type: 'invoice.paid' }, 'msg_off')).toBe(200);
    expect(spans.getFinishedSpans()).toHaveLength(0);
    await reader.forceFlush();
    expect(JSON.stringify(metricExporter.getMetrics().at(-1)?.scopeMetrics).replace(/"(startTime|endTime)":\[[^\]]*\]/g, '')).toBe(before?.replace(/"(startTime|endTime)":\[[^\]]*\]/g, ''));
  });
});
