import type { Attributes, Context, Counter, Histogram, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import { getHeader } from '../core/headers.js';
import type { HeadersLike } from '../core/types.js';
import type { DeliveryEvent, DeliveryStage } from './delivery-event.js';
import type { OtelModule } from './otel.js';

/** Providers to use instead of the global ones `@opentelemetry/api` holds (structural: no OpenTelemetry types in ours). */
export interface OpenTelemetryOptions {
  tracerProvider?: { getTracer(name: string, version?: string): unknown };
  meterProvider?: { getMeter(name: string, version?: string): unknown };
}

/** The names hookguard reports under (README "Observability"). */
export const OTEL_NAMES = {
  scope: 'hookguard',
  deliveries: 'hookguard.deliveries',
  duration: 'hookguard.delivery.duration',
  provider: 'webhook.provider',
  type: 'webhook.event.type',
  id: 'webhook.delivery.id',
  outcome: 'webhook.outcome',
  tenant: 'webhook.tenant',
} as const;

// OpenTelemetry's HTTP server duration buckets (seconds).
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

const HEADER_GETTER: TextMapGetter<HeadersLike> = {
  get: (carrier, key) => getHeader(carrier, key),
  keys: () => [],
};

/** A span for one delivery and the context its handlers run in. */
export interface DeliverySpan {
  span: Span;
  context: Context;
}

/** One receiver's tracer, counter and histogram. */
export class Instruments {
  private readonly tracer: Tracer;
  private deliveries!: Counter;
  private duration!: Histogram;
  /** The meter provider the instruments come from: the global one may be registered after the receiver is made. */
  private meterProvider: unknown;

  constructor(
    readonly api: OtelModule,
    private readonly options: OpenTelemetryOptions,
  ) {
    const tracerProvider = (options.tracerProvider ?? api.trace.getTracerProvider()) as ReturnType<OtelModule['trace']['getTracerProvider']>;
    this.tracer = tracerProvider.getTracer(OTEL_NAMES.scope);
    this.instrument();
  }

  /** (Re)makes the counter and histogram when the meter provider is not the one they came from. */
  private instrument(): void {
    const meterProvider = (this.options.meterProvider ?? this.api.metrics.getMeterProvider()) as ReturnType<OtelModule['metrics']['getMeterProvider']>;
    if (meterProvider === this.meterProvider) return;
    this.meterProvider = meterProvider;
    const meter = meterProvider.getMeter(OTEL_NAMES.scope);
    this.deliveries = meter.createCounter(OTEL_NAMES.deliveries, { description: 'Webhook deliveries received, by provider, event type and outcome.', unit: '{delivery}' });
    this.duration = meter.createHistogram(OTEL_NAMES.duration, {
      description: 'Time from the start of receive to the answer.',
      unit: 's',
      advice: { explicitBucketBoundaries: BUCKETS },
    });
  }

  /**
   * A span continuing the active span (an HTTP instrumentation's) or else the sender's
   * `traceparent`, through the globally registered propagator.
   */
  start(provider: string, headers: HeadersLike): DeliverySpan {
    const { api } = this;
    let parent = api.context.active();
    if (api.trace.getSpan(parent) === undefined) parent = api.propagation.extract(parent, headers, HEADER_GETTER);
    const span = this.tracer.startSpan(`receive ${provider}`, { kind: api.SpanKind.SERVER, attributes: { [OTEL_NAMES.provider]: provider } }, parent);
    return { span, context: api.trace.setSpan(parent, span) };
  }

  stage(span: Span, stage: DeliveryStage): void {
    span.addEvent(`webhook.${stage}`);
  }

  finish(span: Span | undefined, event: DeliveryEvent): void {
    const attributes: Attributes = { [OTEL_NAMES.provider]: event.provider, [OTEL_NAMES.outcome]: event.outcome };
    if (event.type !== undefined) attributes[OTEL_NAMES.type] = event.type;
    if (event.tenant !== undefined) attributes[OTEL_NAMES.tenant] = event.tenant;
    this.instrument();
    this.deliveries.add(1, attributes);
    this.duration.record(event.durationMs / 1000, attributes);
    if (span === undefined) return;
    if (span.isRecording()) {
      span.setAttributes(attributes);
      if (event.id !== undefined) span.setAttribute(OTEL_NAMES.id, event.id);
      span.setAttribute('http.response.status_code', event.status);
      if (event.error !== undefined) {
        span.setAttribute('error.type', event.error.code);
        span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: `${event.error.code}: ${event.error.message}` });
      }
    }
    span.end();
  }
}
