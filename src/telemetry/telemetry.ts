import type { WebhookError } from '../core/errors.js';
import type { DeliveryInput, ReceiveResult } from '../core/types.js';
import { DEFAULT_LOGGER, SILENT, type LogFields, type Logger } from '../receiver/logger.js';
import type { DeliveryEvent, DeliveryListener, DeliveryOutcome, DeliveryStage } from './delivery-event.js';
import { NO_TRACE, type DeliveryTrace } from './delivery-trace.js';
import { Instruments, type DeliverySpan, type OpenTelemetryOptions } from './instruments.js';
import { otelLoaded } from './otel.js';

const DUPLICATE_BODY = JSON.stringify({ ok: true, duplicate: true });
const IGNORED_BODY = JSON.stringify({ ok: true, ignored: true });

const now = (): number => performance.now();

/**
 * One receiver's observers of its deliveries: `onDelivery` listeners, OpenTelemetry (when
 * `@opentelemetry/api` is installed and not turned off) and the logger. With none of them a
 * delivery gets `NO_TRACE` and pays nothing.
 */
export class Telemetry {
  private readonly listeners: DeliveryListener[] = [];
  private instruments: Instruments | undefined;
  /** The default logger only warns of misconfiguration: no timings, no allocation. */
  private readonly warnOnly: DeliveryTrace;

  constructor(
    readonly provider: string,
    readonly logger: Logger,
    openTelemetry: OpenTelemetryOptions | false,
  ) {
    this.warnOnly = {
      stage() {},
      tenant() {},
      fail: (error) => this.warnIfMisconfigured(error),
      end: (result, error) => {
        if (error !== undefined) this.warnIfMisconfigured(error);
        return result;
      },
    };
    if (openTelemetry === false) return;
    const api = otelLoaded();
    if (api !== undefined) this.instruments = new Instruments(api, openTelemetry);
  }

  onDelivery(listener: DeliveryListener): void {
    this.listeners.push(listener);
  }

  /** Runs one delivery under its trace (and, with OpenTelemetry, inside its span's context). */
  run(input: DeliveryInput, receive: (input: DeliveryInput, trace: DeliveryTrace) => Promise<ReceiveResult>): Promise<ReceiveResult> {
    const { instruments } = this;
    if (instruments === undefined) {
      if (this.observed()) return receive(input, new LiveTrace(this, undefined));
      return receive(input, this.logger === SILENT ? NO_TRACE : this.warnOnly);
    }
    const span = instruments.start(this.provider, input.headers);
    const trace = new LiveTrace(this, span);
    return instruments.api.context.with(span.context, receive, undefined, input, trace);
  }

  /** A refusal an adapter met before `receive` (`receiver.fail`). */
  refused(result: ReceiveResult, error: WebhookError): ReceiveResult {
    if (this.instruments === undefined && !this.observed()) return this.logger === SILENT ? result : this.warnOnly.end(result, error);
    const span = this.instruments?.start(this.provider, {});
    return new LiveTrace(this, span).end(result, error);
  }

  /** Some listener, or a logger of the user's, wants every delivery. */
  private observed(): boolean {
    return this.listeners.length > 0 || (this.logger !== SILENT && this.logger !== DEFAULT_LOGGER);
  }

  /** Tells every listener, OpenTelemetry and the logger; a throwing listener is ignored. */
  report(event: DeliveryEvent, span: DeliverySpan | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Listeners only observe.
      }
    }
    try {
      this.instruments?.finish(span?.span, event);
      this.log(event);
    } catch {
      // Observing must never change the answer: a throwing logger or exporter is ignored.
    }
  }

  stageEvent(span: DeliverySpan | undefined, stage: DeliveryStage): void {
    if (span !== undefined) this.instruments?.stage(span.span, stage);
  }

  private log(event: DeliveryEvent): void {
    const { logger } = this;
    if (logger === SILENT) return;
    const fields: Record<string, string | number | undefined> = { provider: event.provider, type: event.type, id: event.id, outcome: event.outcome, status: event.status, durationMs: round(event.durationMs) };
    if (event.tenant !== undefined) fields.tenant = event.tenant;
    const { error } = event;
    const what = `hookguard: ${event.provider} delivery${event.id === undefined ? '' : ` ${event.id}`}${event.type === undefined ? '' : ` (${event.type})`}`;
    if (error === undefined) {
      // The receiver logs an ignored delivery itself (info the first time for its type).
      if (event.outcome === 'ignored') return;
      logger.debug(`${what}: ${event.outcome}, ${String(event.status)}.`, fields);
      return;
    }
    if (error.code === 'handler_failed') fields.cause = describeCause(error.cause);
    const message = `${what}: ${error.code} (${String(event.status)}): ${error.message}`;
    if (error.code === 'misconfigured') logger.warn(message, fields as LogFields);
    else if (error.status >= 500 || event.status < 300) logger.error(message, fields as LogFields);
    else logger.info(message, fields as LogFields);
  }

  private warnIfMisconfigured(error: WebhookError): void {
    if (error.code === 'misconfigured') this.logger.warn(`hookguard: ${this.provider} delivery: ${error.message}`);
  }
}

/** One delivery's stages and identity, reported once when it is answered. */
class LiveTrace implements DeliveryTrace {
  private readonly started = now();
  private mark = this.started;
  private current: DeliveryStage | undefined;
  private readonly stages: Partial<Record<DeliveryStage, number>> = {};
  private id: string | undefined;
  private type: string | undefined;
  private failure: WebhookError | undefined;
  private tenantName: string | undefined;

  constructor(
    private readonly telemetry: Telemetry,
    private readonly span: DeliverySpan | undefined,
  ) {}

  stage(stage: DeliveryStage, parsed?: { id?: string | undefined; type?: string | undefined }): void {
    this.close();
    this.current = stage;
    if (parsed !== undefined) {
      this.id = parsed.id;
      this.type = parsed.type;
    }
    this.telemetry.stageEvent(this.span, stage);
  }

  fail(error: WebhookError): void {
    this.failure = error;
  }

  tenant(tenant: string): void {
    this.tenantName = tenant;
  }

  end(result: ReceiveResult, error: WebhookError | undefined = this.failure): ReceiveResult {
    this.close();
    const event: DeliveryEvent = {
      provider: this.telemetry.provider,
      type: this.type,
      id: this.id,
      outcome: outcomeOf(result, error),
      status: result.status,
      durationMs: this.mark - this.started,
      stages: this.stages,
    };
    if (error !== undefined) event.error = error;
    if (this.tenantName !== undefined) event.tenant = this.tenantName;
    this.telemetry.report(event, this.span);
    return result;
  }

  private close(): void {
    const at = now();
    if (this.current !== undefined) this.stages[this.current] = (this.stages[this.current] ?? 0) + (at - this.mark);
    this.mark = at;
  }
}

function outcomeOf(result: ReceiveResult, error: WebhookError | undefined): DeliveryOutcome {
  if (error !== undefined) return error.code;
  if (result.body === DUPLICATE_BODY) return 'duplicate';
  if (result.body === IGNORED_BODY) return 'ignored';
  return 'ok';
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return typeof cause === 'string' ? cause : typeof cause;
}
